"""The OpenAPI document and its documentation page (Swagger UI from drf-spectacular-sidecar: no CDN, no inline script)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .. import schema  # noqa: F401 - the token scheme, told to drf-spectacular before any document is made
from ..problems import not_found_response


def schema_view():
    return login_not_required(SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]))


def docs_view():
    # The split view serves its start-up script at ?script, so the page needs no inline script.
    return login_not_required(
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            authentication_classes=[],
            permission_classes=[],
            title="UnionPortal API",
        )
    )


@login_not_required
def not_found(request, rest: str = ""):
    return not_found_response()
