from django.shortcuts import render

from organizations.lookups import get_subtree_for_user
from organizations.models import Level
from organizations.permissions import Action, scope_for
from organizations.selectors import tree_roots
from unionportal.web import only_get, paginate

from ..filters import MemberFilter
from ..models import MemberStatus
from ..selectors import member_totals, members_for_user, role_rank


def member_list(request):
    """Members of a branch or of a whole subtree (?under=CODE), with the totals of what the filters keep."""
    under = get_subtree_for_user(
        request.user, request.GET.get("under", "")
    )  # first, so an outsider's POST is a 404 like their GET
    if refused := only_get(request):
        return refused
    queryset = members_for_user(request.user)
    if under is not None:
        queryset = queryset.within(under)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = MemberStatus.ACTIVE
    filterset = MemberFilter(data, queryset=queryset)
    # A branch's leaders first, then everyone by name: the order of the paper register.
    results = filterset.qs.select_related("branch").order_by("branch__code", role_rank(), "full_name", "card_number")
    page = paginate(request, results)
    params = request.GET.copy()
    params.pop("page", None)
    scope = scope_for(request.user)
    can_edit = scope.can(Action.EDIT_MEMBERS, under) if under is not None else scope.can_anywhere(Action.EDIT_MEMBERS)
    return render(
        request,
        "members/list.html",
        {
            "filter": filterset,
            "page": page,
            "totals": member_totals(filterset.qs),
            "under": under,
            "under_is_branch": under is not None and under.level.code == Level.BASE,
            "roots": tree_roots(request.user),
            "query_string": params.urlencode(),
            "can_add": can_edit and (under is None or under.is_active),
            "can_record_training": can_edit and under is not None,
            # A column of "Active" badges says nothing when the list shows active members only.
            "show_status": data["status"] != MemberStatus.ACTIVE,
        },
    )
