"""What every API view shares.

- Authentication by token only (api.authentication), then exactly the user's scope and rights:
  lookups go through the apps' scoped helpers (organizations.lookups, members.lookups), so an
  organization outside the user's subtrees is a 404, a role without the right a 403.
- A body whose Content-Length exceeds settings.API_MAX_BODY_BYTES is refused (413) before a
  byte of it is read.
- Errors are problem details (api.problems); lists are paged with a cursor (api.pagination).
- Writes run inside `self.acting()`: the audit trail records the user and "api:<token name>".
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from rest_framework import generics
from rest_framework.views import APIView

from organizations.lookups import get_organization_for_user
from organizations.models import Organization
from unionportal.acting import acting

from ..problems import body_too_large


class ApiMixin:
    """Mixed into every API view (APIView or a generic view)."""

    @classmethod
    def as_view(cls, **initkwargs):
        # The API answers 401 itself (problem details), instead of the pages' redirect to the login.
        return login_not_required(super().as_view(**initkwargs))

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_MAX_BODY_BYTES:
            raise body_too_large(settings.API_MAX_BODY_BYTES)
        if length:
            # DRF's JSON parser reads `request.body`, which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE
            # (2.5 MB, meant for the pages' forms); the API's own cap, API_MAX_BODY_BYTES, was checked above.
            django_request = request._request
            if not hasattr(django_request, "_body") and not django_request._read_started:
                django_request._body = django_request.read()
        super().initial(request, *args, **kwargs)

    def audit_context(self) -> str:
        token = self.request.auth
        return f"api:{getattr(token, 'name', '')}"

    def acting(self):
        """The writes inside are recorded as the token's user, through the API under the token's name."""
        return acting(self.request.user, self.audit_context())

    def subtree(self) -> Organization | None:
        """?under=CODE: the subtree a list is restricted to (404 outside the user's scope)."""
        code = self.request.query_params.get("under", "").strip()
        return get_organization_for_user(self.request.user, code) if code else None


class ApiView(ApiMixin, APIView):
    pass


class ApiListView(ApiMixin, generics.ListAPIView):
    pass


class ApiDetailView(ApiMixin, generics.GenericAPIView):
    pass
