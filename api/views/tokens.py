"""The user's own API tokens, under their account: create (shown once), list, revoke.

Not an API view: a page of the portal, signed in with the session, behind the two-step sign-in.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unionportal.web import add_service_errors, only_post

from .. import services
from ..forms import TokenCreateForm
from ..selectors import get_token_for_user, tokens_of


def _verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenCreateForm(request.POST or None)
    created = None
    if services.two_factor_missing(by=request.user, verified=_verified(request)):
        # The middleware sends such a user to the code before any page; this holds even if it did not.
        return redirect(f"/2fa/verify/?next={request.path}")
    if request.method == "POST" and form.is_valid():
        try:
            token, created = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
                by=request.user,
                verified=_verified(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            form = TokenCreateForm()
    return render(request, "api/tokens.html", {"form": form, "created": created, "tokens": tokens_of(request.user)})


def token_revoke(request, pk: int):
    token = get_token_for_user(request.user, pk)
    if refused := only_post(request):
        return refused
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("account:api_tokens")
