from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from api import services


def make_token(user, *, name: str = "hệ thống thử", days: int = 30) -> str:
    _token, text = services.api_token_create(
        user=user, name=name, expires_at=timezone.now() + datetime.timedelta(days=days), by=user, verified=True
    )
    return text


class Api:
    """A client that sends a token and JSON."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, url: str, data=None, headers=None, **extra):
        body = json.dumps(data) if data is not None else ""
        return getattr(self.client, method)(
            url, body, content_type="application/json", headers={**self.headers, **(headers or {})}, **extra
        )

    def get(self, url: str, params=None, headers=None):
        return self.client.get(url, params or {}, headers={**self.headers, **(headers or {})})

    def post(self, url: str, data=None, headers=None, **extra):
        return self._send("post", url, data, headers, **extra)

    def patch(self, url: str, data=None, headers=None, **extra):
        return self._send("patch", url, data, headers, **extra)


@pytest.fixture
def api(db):
    """api(user) -> a client sending a fresh token of that user; api(None) sends none."""

    def _api(user) -> Api:
        return Api(make_token(user) if user is not None else None)

    return _api
