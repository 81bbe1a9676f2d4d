"""Writes of the API app: tokens made and revoked (the members' bulk upsert is in bulk.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.permissions import needs_two_factor

from .models import ApiToken
from .tokens import hash_secret, new_token


def two_factor_missing(*, by, verified: bool) -> bool:
    """The two-step rule of sign-in, as the pages apply it (organizations.middleware): does `by` still owe it?"""
    return bool(settings.TWO_FACTOR_REQUIRED and needs_two_factor(by) and not verified)


def token_errors(*, name: str, expires_at: datetime.datetime | None) -> dict[str, str]:
    """What is wrong with a token's name and expiry (the page and the admin show it on the field)."""
    now = timezone.now()
    errors = {}
    if expires_at is None:
        errors["expires_at"] = _("Give the token an expiry date.")
    elif expires_at <= now:
        errors["expires_at"] = _("The expiry date must be in the future.")
    elif expires_at > now + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS):
        errors["expires_at"] = _("A token lasts at most %(days)s days: choose an earlier expiry date.") % {
            "days": settings.API_TOKEN_MAX_DAYS
        }
    if not (name or "").strip():
        errors["name"] = _("Give the token a name that says which system uses it.")
    return errors


@transaction.atomic
def api_token_create(*, user, name: str, expires_at: datetime.datetime, by, verified: bool) -> tuple[ApiToken, str]:
    """Make a token for `user` (oneself, or a service account by an administrator); return it and its text, shown once.

    Making a token is as sensitive as signing in: whoever must sign in in two steps must have done so.
    """
    if two_factor_missing(by=by, verified=verified):
        raise PermissionDenied(_("Sign in with your authenticator code before you create an API token."))
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied(_("Only an administrator creates tokens for another account."))
    if errors := token_errors(name=name, expires_at=expires_at):
        raise ValidationError(errors)
    prefix, secret, text = new_token()
    token = ApiToken(user=user, name=" ".join(name.split()), prefix=prefix, hashed_secret=hash_secret(secret))
    token.expires_at = expires_at
    token.full_clean()
    token.save()
    return token, text


def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
