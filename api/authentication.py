"""Authorization: Bearer up_<prefix>_<secret>. The request then acts as the token's user, nothing more."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .tokens import secret_matches, split_token

# last_used_at is written at most this often per token: not a write per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, raw = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        parts = split_token(raw.strip())
        if parts is None:
            raise exceptions.AuthenticationFailed(_("The token is malformed: it reads up_<prefix>_<secret>."))
        prefix, secret = parts
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not secret_matches(secret, token.hashed_secret):
            raise exceptions.AuthenticationFailed(_("This token is not known. Check that it was copied whole."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked. Create a new one on your account page."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired. Create a new one on your account page."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this token is disabled."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
