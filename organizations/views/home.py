from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import hooks
from ..models import Organization, Workplace
from ..selectors import branch_counts_by_sector, tree_roots, workplace_totals


@require_GET
def home(request):
    """The start page: what other apps add (the to-do list), then each of the user's organizations with its figures."""
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
    sections = [section for section in hooks.home_page_sections.run(user=request.user) if section is not None]
    return render(request, "home.html", {"cards": cards, "sections": sections})
