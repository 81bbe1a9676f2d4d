from django.shortcuts import render
from django.views.decorators.http import require_GET

from unionportal.web import paginate

from ..filters import BranchFilter
from ..lookups import get_subtree_for_user
from ..models import Level, Sector
from ..selectors import attach_parents, branch_counts_by_sector, organizations_for_user, tree_roots


@require_GET
def branch_list(request):
    """Organizations under a body (base branches unless another level is asked for), with counts per sector."""
    under = get_subtree_for_user(request.user, request.GET.get("under", ""))
    queryset = organizations_for_user(request.user)
    if under is not None:
        queryset = queryset.below(under)
    data = request.GET.copy()
    if "level" not in data:
        data["level"] = Level.BASE
    if "status" not in data:
        data["status"] = "active"
    filterset = BranchFilter(data, queryset=queryset)
    results = filterset.qs.order_by("code")
    page = paginate(request, results)
    attach_parents(page.object_list)
    # Counts per sector follow every filter except the sector itself, so the
    # figures beside each sector read as "how many there would be".
    without_sector = data.copy()
    without_sector["sector"] = ""
    counts = branch_counts_by_sector(BranchFilter(without_sector, queryset=queryset).qs)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "organizations/branch_list.html",
        {
            "filter": filterset,
            "page": page,
            "total": page.paginator.count,
            "under": under,
            "roots": tree_roots(request.user),
            "sector_counts": [(value, label, counts[value]) for value, label in Sector.choices],
            "sector_total": sum(counts.values()),
            "query_string": params.urlencode(),
            "selected_sector": data.get("sector", ""),
        },
    )
