"""The user's notification settings, and the unsubscribe page of the emails (public, by signed token)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from unionportal.web import add_service_errors

from ..emails import read_unsubscribe_token
from ..events import KINDS
from ..forms import PreferencesForm
from ..selectors import preferences_of
from ..services import preferences_save, unsubscribe


def preferences(request):
    current = preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial_deliveries=current)
    if request.method == "POST" and form.is_valid():
        try:
            preferences_save(user=request.user, deliveries=form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "has_email": bool(request.user.email)})


@login_not_required
def unsubscribe_page(request, token: str):
    """The link of an email: GET asks to confirm, POST turns the kind off for the user the token was made for."""
    found = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=found[0]).first() if found else None
    if user is None:
        raise Http404(_("This unsubscribe link is not valid. Change your notification settings after logging in."))
    kind = KINDS[found[1]]
    done = False
    if request.method == "POST":
        unsubscribe(user_id=user.pk, kind=kind.code)
        done = True
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "done": done, "token": token})
