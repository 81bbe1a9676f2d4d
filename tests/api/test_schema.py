"""The OpenAPI document: every API route in it, every field described in Vietnamese; the documentation page served locally."""

from __future__ import annotations

import re

import pytest
import yaml
from django.test import Client
from django.urls import get_resolver

from api.bulk import KEYS
from api.serializers.members import MemberRowSerializer

pytestmark = pytest.mark.django_db
UNDOCUMENTED = {"schema", "docs"}  # the document and its page


def schema() -> dict:
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def api_routes() -> set[str]:
    """Every named route under /api/v1/, written as OpenAPI writes a path."""
    (resolver,) = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api"]
    prefix = "/" + str(resolver.pattern)
    return {
        prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in resolver.url_patterns
        if getattr(p, "name", None) and p.name not in UNDOCUMENTED
    }


def test_the_document_states_the_token_scheme():
    scheme = schema()["components"]["securitySchemes"]["token"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "up_<prefix>_<secret>")


def test_every_api_route_is_in_the_schema():
    paths = set(schema()["paths"])
    missing = api_routes() - paths
    assert not missing, f"API routes missing from the OpenAPI document: {sorted(missing)}"
    assert len(api_routes()) >= 20


def test_a_route_left_out_of_the_schema_would_be_found(monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    real = SchemaGenerator.get_schema

    def without_members(self, *args, **kwargs):
        document = real(self, *args, **kwargs)
        document["paths"].pop("/api/v1/members/")
        return document

    monkeypatch.setattr(SchemaGenerator, "get_schema", without_members)
    with pytest.raises(AssertionError, match="/api/v1/members/"):
        test_every_api_route_is_in_the_schema()


VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)


def test_every_field_and_parameter_is_described_in_vietnamese():
    document = schema()
    problems = []
    for name, component in document["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if not VIETNAMESE.search(spec.get("description", "")):
                problems.append(f"{name}.{field}")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not VIETNAMESE.search(operation.get("summary", "")):
                problems.append(f"{method.upper()} {path}: summary")
            for parameter in operation.get("parameters", []):
                if not VIETNAMESE.search(parameter.get("description", "")):
                    problems.append(f"{method.upper()} {path}: ?{parameter['name']}")
    assert not problems, problems


def test_the_documented_bulk_row_is_the_importers_columns():
    assert tuple(MemberRowSerializer().fields) == KEYS


def test_the_documentation_page_uses_local_assets_only_and_no_inline_code():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", page), "an asset from another site"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "an inline script"
    assert not re.search(r"<style[\s>]|\sstyle=\"", page), "an inline style"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    client = Client()
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "http" not in csp
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()
