from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from .models import ApiToken


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def get_token_for_user(user, pk: int) -> ApiToken:
    """A token belongs to its user: anyone else gets 404, whatever their role."""
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404(_("Token not found."))
    return token
