"""Every write made through the web is recorded with the signed-in user and the page."""

from __future__ import annotations

from unionportal.acting import acting

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AuditActorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Reading pages writes nothing worth recording; skip the round trip to the database.
        if request.method in SAFE_METHODS or user is None or not user.is_authenticated:
            return self.get_response(request)
        with acting(user, f"web:{request.path}"):
            return self.get_response(request)
