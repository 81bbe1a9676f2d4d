"""The embedded mode's background threads: many events at once are sent by one sender, over few connections."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from notifications import events
from notifications.events import Event, publish
from notifications.models import EmailStatus, Notification
from organizations.models import Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_burst_of_events_is_sent_by_one_drain_not_a_thread_and_a_connection_each(cast, smtp, settings):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database locks tables, not waits; tests/unionportal/test_sqlite_load.py")
    settings.JOBS_RUN_INLINE = False
    settings.JOBS_BACKEND = "thread"
    bodies = [factories.make_organization(cast.province, code=f"XP-Q{n:02d}", name=f"LĐLĐ quận {n}") for n in range(20)]
    for number, body in enumerate(bodies):
        factories.make_user(f"staff{number}", organization=body, role=Role.UPPER_STAFF, email=f"s{number}@congdoan.vn")
    for body in bodies:  # a sweep: one event per body, each committed on its own
        publish(Event(events.OVERDUE, body, "/data/"))

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Notification.objects.exclude(email_status=EmailStatus.SENT).exists():
        time.sleep(0.1)
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 20
    assert sorted(message["To"] for message in smtp.messages) == sorted(f"s{n}@congdoan.vn" for n in range(20))
    assert smtp.connections < 20
