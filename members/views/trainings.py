from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from organizations.lookups import get_subtree_for_user
from organizations.permissions import Action, scope_for
from organizations.selectors import ancestors_in_scope, tree_roots
from unionportal.web import add_service_errors

from .. import services
from ..filters import TrainingCandidateFilter
from ..forms import TrainingForm
from ..selectors import members_for_user, role_rank
from .members import list_url

# Beyond this many members a list of checkboxes helps no one: narrow it by branch or role first.
MAX_CANDIDATES = 600


@require_http_methods(["GET", "POST"])
def training_record(request):
    """One training attended by several members of a subtree (?under=CODE), chosen from a filtered list."""
    under = get_subtree_for_user(request.user, request.GET.get("under", ""))
    if under is None:
        raise Http404(_("Choose the organization whose members attended."))
    if not scope_for(request.user).can(Action.EDIT_MEMBERS, under):
        raise PermissionDenied
    candidates = members_for_user(request.user).within(under).active()
    filterset = TrainingCandidateFilter(request.GET, queryset=candidates)
    candidates = filterset.qs.select_related("branch").order_by("branch__code", role_rank(), "full_name")
    count = candidates.count()
    too_many = count > MAX_CANDIDATES
    initial = {}
    if request.GET.get("all") == "1" and not too_many:
        initial["members"] = list(candidates.values_list("card_number", flat=True))
    form = TrainingForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["members"])
        try:
            created = services.trainings_record(
                members=chosen,
                course=form.cleaned_data["course"],
                trained_on=form.cleaned_data["trained_on"],
                organizer=form.cleaned_data["organizer"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = ngettext(
                "The training has been recorded for %(count)s member.",
                "The training has been recorded for %(count)s members.",
                len(created),
            ) % {"count": len(created)}
            if skipped := len(chosen) - len(created):
                message += " " + ngettext(
                    "%(count)s was already recorded.", "%(count)s were already recorded.", skipped
                ) % {"count": skipped}
            messages.success(request, message)
            return redirect(list_url(under))
    params = request.GET.copy()
    params.pop("all", None)
    return render(
        request,
        "members/training_form.html",
        {
            "form": form,
            "filter": filterset,
            "under": under,
            "roots": tree_roots(request.user),
            "trail": [*ancestors_in_scope(request.user, under), under],
            "candidate_count": count,
            "too_many": too_many,
            "max_candidates": MAX_CANDIDATES,
            "query_string": params.urlencode(),
        },
    )
