"""An idle session ends 30 minutes after the last request, its row rewritten at most once a minute
(unionportal.sessions.SessionMiddleware) instead of on every request."""

import datetime

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_a_request_soon_after_the_last_write_leaves_the_session_row_alone(cast, login):
    client = login(cast.owner)
    client.get(reverse("organizations:tree"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("organizations:tree")).status_code == 200
    assert _writes(queries) == []


def test_a_request_a_minute_later_pushes_the_expiry_on(cast, login):
    client = login(cast.owner)
    client.get(reverse("organizations:tree"))
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=session.expire_date - datetime.timedelta(seconds=61))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("organizations:tree")).status_code == 200
    assert len(_writes(queries)) == 1
    expiry = Session.objects.get().expire_date
    assert abs((expiry - timezone.now()) - datetime.timedelta(minutes=30)) < datetime.timedelta(seconds=5)


def test_a_session_idle_for_thirty_minutes_has_ended(cast, login):
    client = login(cast.owner)
    client.get(reverse("organizations:tree"))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("organizations:tree"))
    assert response.status_code == 302 and reverse("login") in response.url
