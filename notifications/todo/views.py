"""“Nhắc”: the button beside a late body on the to-do list (POST, with its CSRF token)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from indicators.periods import get_period
from organizations.lookups import get_organization_for_user
from organizations.permissions import Action, scope_for
from unionportal.templatetags.vn import person_name
from unionportal.web import only_post

from ..remind import remind as remind_body


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home") + "#viec-can-lam"


def remind(request, period: str, code: str):
    """Remind a late body below of its report: once a day, whatever the number of presses."""
    organization = get_organization_for_user(request.user, code)  # outside the user's subtrees: 404
    if not scope_for(request.user).can(Action.REVIEW, organization, strict=True):
        raise PermissionDenied(_("Only a body above %(name)s may remind it.") % {"name": organization.display_name})
    if refused := only_post(request):
        return refused
    try:
        reminder, sent = remind_body(user=request.user, organization=organization, period=get_period(period))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        words = {
            "name": organization.display_name,
            "time": timezone.localtime(reminder.at).strftime("%H:%M"),
            "by": person_name(reminder.by),
        }
        if sent:
            messages.success(request, _("%(name)s has been reminded of its report.") % words)
        else:
            messages.info(
                request,
                _("Already reminded today: %(name)s was reminded at %(time)s by %(by)s. One reminder a day is sent.")
                % words,
            )
    return redirect(_back(request))
