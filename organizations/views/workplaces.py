from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from unionportal.web import add_service_errors, only_get, paginate

from .. import services
from ..filters import WorkplaceFilter
from ..forms import WorkplaceForm
from ..lookups import get_subtree_for_user, get_workplace_for_user
from ..models import Level, Workplace
from ..permissions import Action, scope_for
from ..selectors import organizations_for_user, tree_roots, workplace_totals, workplaces_for_user


@require_GET
def workplace_list(request):
    under = get_subtree_for_user(request.user, request.GET.get("under", ""))
    queryset = workplaces_for_user(request.user)
    if under is not None:
        queryset = queryset & Workplace.objects.within(under)
    filterset = WorkplaceFilter(request.GET or None, queryset=queryset)
    results = filterset.qs.select_related("upper_union", "branch").order_by("code")
    page = paginate(request, results)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "organizations/workplace_list.html",
        {
            "filter": filterset,
            "page": page,
            "totals": workplace_totals(results),
            "under": under,
            "roots": tree_roots(request.user),
            "query_string": params.urlencode(),
            "can_add": scope_for(request.user).can_anywhere(Action.EDIT_REGISTRY),
        },
    )


def workplace_detail(request, code: str):
    workplace = get_workplace_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    return render(
        request,
        "organizations/workplace_detail.html",
        {"workplace": workplace, "can_edit": scope_for(request.user).can(Action.EDIT_REGISTRY, workplace.upper_union)},
    )


def _form_choices(user):
    """Upper-level unions and branches the user may attach a workplace to."""
    scope = scope_for(user)
    visible = organizations_for_user(user).active()
    uppers = visible.exclude(level__code__in=[Level.BASE, Level.BELOW_BASE])
    upper_pks = [o.pk for o in uppers if scope.can(Action.EDIT_REGISTRY, o)]
    branches = visible.filter(level__code=Level.BASE)
    return uppers.filter(pk__in=upper_pks), branches


@require_http_methods(["GET", "POST"])
def workplace_create(request):
    scope = scope_for(request.user)
    if not scope.can_anywhere(Action.EDIT_REGISTRY):
        raise PermissionDenied
    uppers, branches = _form_choices(request.user)
    initial = {}
    if request.GET.get("upper_union"):
        initial["upper_union"] = request.GET["upper_union"]
    form = WorkplaceForm(request.POST or None, upper_unions=uppers, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workplace = services.workplace_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": workplace.name})
            return redirect("organizations:workplace_detail", code=workplace.code)
    return render(request, "organizations/workplace_form.html", {"form": form, "title": _("Add a workplace")})


@require_http_methods(["GET", "POST"])
def workplace_edit(request, code: str):
    workplace = get_workplace_for_user(request.user, code, Action.EDIT_REGISTRY)
    uppers, branches = _form_choices(request.user)
    form = WorkplaceForm(request.POST or None, upper_unions=uppers, branches=branches, workplace=workplace)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            services.workplace_update(workplace=workplace, by=request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organizations:workplace_detail", code=workplace.code)
    return render(
        request,
        "organizations/workplace_form.html",
        {"form": form, "workplace": workplace, "title": _("Edit %(name)s") % {"name": workplace.name}},
    )
