"""The token scheme as the OpenAPI document states it (drf-spectacular finds this extension once imported: by
the schema view's module, api/views/docs.py)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "up_<prefix>_<secret>",
            "description": "Mã truy cập API tạo ở trang Tài khoản › Mã truy cập API; gửi trong tiêu đề Authorization: Bearer up_…",
        }
