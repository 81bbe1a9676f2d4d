"""Benchmark: notification emails sent to a real SMTP server on 127.0.0.1 (aiosmtpd).

    .venv/bin/python bench/notification_emails.py              # 2,000 emails (the recorded figure)
    .venv/bin/python bench/notification_emails.py --emails 200 # a quick check

A fresh SQLite database in a temporary folder (migrated), N users with an address and one
pending notification each, then:

- ours: notifications.delivery.send_due_emails(): each batch claimed row by row, rendered
  (HTML + text, Vietnamese, signed unsubscribe link), sent over ONE SMTP connection, marked sent;
- peer: the naive way, Django's send_mail() per notification: a connection per email, no
  claim, no status.

Wall time, emails per second, SMTP sessions opened (EHLO seen by the server) and peak resident
memory of this process (ru_maxrss, which includes Python and Django). The server runs in this
process's event-loop thread, so both sides pay for it alike. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Counting:
    def __init__(self) -> None:
        self.sessions = self.messages = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=2000)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="notify-bench-")
    port = free_port()
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "unionportal.settings.dev",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
        }
    )
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.core.management import call_command

    from notifications.delivery import send_due_emails
    from notifications.models import EmailStatus, Notification
    from organizations.models import Level, Organization

    call_command("migrate", verbosity=0)
    # A worker has its URLconf loaded already (the first reverse() imports every app's views, 3 s here).
    from django.urls import reverse

    reverse("notifications:list")
    level = Level.objects.order_by("rank").first()
    body = Organization.objects.add_root(instance=Organization(code="BENCH", name="LĐLĐ huyện Thử", level=level))
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"u{n}", email=f"u{n}@congdoan.example.vn") for n in range(args.emails)
    )
    users = list(get_user_model().objects.filter(username__startswith="u").order_by("pk"))

    def pending(tag: str) -> None:
        Notification.objects.bulk_create(
            Notification(
                user=user,
                kind="returned",
                organization=body,
                title=f"Báo cáo kỳ Năm 2024 bị trả lại ({tag})",
                body="Ý kiến: Thiếu số liệu xếp loại",
                path="/data/2024/BENCH/",
                key=f"{tag}-{user.pk}",
                email_status=EmailStatus.PENDING,
            )  # fmt: skip
            for user in users
        )

    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        pending("ours")
        start = time.perf_counter()
        sent = send_due_emails()
        ours = time.perf_counter() - start
        ours_sessions, ours_messages = handler.sessions, handler.messages

        handler.sessions = handler.messages = 0
        rows = list(Notification.objects.filter(key__startswith="ours").select_related("user"))
        start = time.perf_counter()
        for row in rows:
            send_mail(row.title, row.body, None, [row.user.email])
        peer = time.perf_counter() - start
    finally:
        controller.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"emails: {args.emails}; load average: {os.getloadavg()}")
    print(
        f"ours: {sent} sent in {ours:.2f} s ({sent / ours:.0f}/s), {ours_sessions} SMTP sessions, {ours_messages} received"
    )
    print(
        f"peer (send_mail each): {len(rows)} in {peer:.2f} s ({len(rows) / peer:.0f}/s), {handler.sessions} SMTP sessions"
    )
    print(f"peak RSS of the process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
