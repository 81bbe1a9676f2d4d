"""A rate limit per token (settings.API_RATE), counted in Redis when the settings have a Redis cache."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


def throttle_cache():
    """The first Redis cache of the settings (shared by every web process), else the default cache."""
    for alias, config in settings.CACHES.items():
        if "redis" in config.get("BACKEND", "").lower():
            return caches[alias]
    return caches["default"]


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def __init__(self) -> None:
        self.cache = throttle_cache()
        super().__init__()

    def get_rate(self) -> str:
        return settings.API_RATE  # read at each request, so that a change of settings applies

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
