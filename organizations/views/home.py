from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import Organization, Workplace
from ..selectors import branch_counts_by_sector, tree_roots, workplace_totals


@require_GET
def home(request):
    """The start page: each of the user's organizations with its headline figures."""
    cards = []
    for root in tree_roots(request.user):
        subtree = Organization.objects.within(root).active()
        workplaces = Workplace.objects.within(root)
        cards.append(
            {
                "organization": root,
                "sector_counts": branch_counts_by_sector(subtree),
                "branches": subtree.base().count(),
                "workplaces": workplace_totals(workplaces),
                "enterprises_without_union": workplaces.enterprises().with_at_least(5).without_union().count(),
            }
        )
    return render(request, "home.html", {"cards": cards})
