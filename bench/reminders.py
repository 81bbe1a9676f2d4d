"""Benchmark: the deadline sweep (`send_reminders`) over the synthetic national dataset (issue 14, Speed).

    .venv/bin/python manage.py build_synthetic --scale 0.1 --no-rollups    # once, in an empty database
    .venv/bin/python bench/reminders.py --database postgres://postgres@127.0.0.1:5432/up_remind14
    .venv/bin/python bench/reminders.py --bodies 734    # as many reporting bodies as scale 1 has

Budget: the sweep over the national dataset in ≤ 60 s and ≤ 300 MB. It runs against an
existing database built by `build_synthetic`, at whatever scale it was built, for three days
of the annual period 2024 (deadline 15/01/2025): 7 days before, the day before, and the day
after (overdue), each twice (the second run must send nothing). Every reporting body is
reminded (the dataset has no submissions): the worst case.

The webhook channel runs for real: each province gets a webhook posting to an HTTP server
(http.server, threaded, in a child process, as a bridge runs on another machine), so every
reminder is also a signed POST, through the embedded job runner (a thread: the drain). "wall"
is the sweep (the reminders written and published); "+posts" is until the drain has posted
every delivery (what `manage.py send_reminders` waits for before it exits). The
bench's own rows (reminders, webhooks, deliveries of the bench day) are deleted first.

Measured: wall time of each run (time.perf_counter), the queries it made, the process's peak
resident memory (resource.getrusage ru_maxrss: Python, Django and the sweep together), and
the 1-minute load average before and after (os.getloadavg): the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import resource
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/up_remind14"
DAYS = (datetime.date(2025, 1, 8), datetime.date(2025, 1, 14), datetime.date(2025, 1, 16))
BUDGET_SECONDS, BUDGET_MB = 60.0, 300.0


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


class _Counter(BaseHTTPRequestHandler):
    received = None  # a multiprocessing.Value shared with the bench

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.received.get_lock():
            self.received.value += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def _serve(port, received) -> None:
    """The receiver, in a process of its own (a bridge is another machine: it takes no CPU from the sweep's GIL)."""
    _Counter.received = received
    ThreadingHTTPServer(("127.0.0.1", port), _Counter).serve_forever()


def _start_receiver():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    received = multiprocessing.Value("i", 0)
    process = multiprocessing.Process(target=_serve, args=(free, received), daemon=True)
    process.start()
    for _wait in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", free)) == 0:
                break
        time.sleep(0.1)
    return process, f"http://127.0.0.1:{free}/bench", received


def _pad(bodies: int) -> None:
    """Upper-level unions spread over the provinces until `bodies` bodies report (kept for the next run).

    Through organization_create, in one transaction, without the rollup refresh that
    organizations.registry_changed would queue (these bodies have no branches to count).
    """
    from django.db import transaction

    from organizations import hooks, services
    from organizations.models import Level, Organization
    from reports.rollups import queue_registry_refresh

    upper, provincial = Level.objects.get(code=Level.UPPER), Level.objects.get(code=Level.PROVINCIAL)
    reporting = Organization.objects.filter(level__rank__lte=upper.rank, depth__gt=1).count()
    provinces = list(Organization.objects.filter(level=provincial).order_by("path"))
    hooks.registry_changed.unregister(queue_registry_refresh)
    try:
        with transaction.atomic():
            for n in range(max(bodies - reporting, 0)):
                services.organization_create(
                    parent=provinces[n % len(provinces)],
                    code=f"BENCH-{n:04d}",
                    name=f"LĐLĐ thử {n}",
                    level=upper,
                    founded_on=datetime.date(2020, 1, 1),
                )
    finally:
        hooks.registry_changed.register(queue_registry_refresh)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--no-webhooks", action="store_true", help="The sweep alone, without the webhook channel")
    parser.add_argument(
        "--bodies",
        type=int,
        default=0,
        help="Add upper-level unions (code BENCH-…) until this many bodies report: 734 is scale 1's count",
    )
    options = parser.parse_args()
    _django(options.database)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import ReminderSent, Webhook, WebhookDelivery
    from notifications.sweep import send_reminders
    from notifications.webhooks import wait_for_drain
    from organizations.models import Level, Organization

    if options.bodies:
        _pad(options.bodies)
    receiver, url, received = _start_receiver()
    ReminderSent.objects.filter(day__in=DAYS).delete()
    Webhook.objects.filter(url__startswith="http://127.0.0.1:").delete()
    if not options.no_webhooks:
        provinces = Organization.objects.filter(level__code=Level.PROVINCIAL)
        Webhook.objects.bulk_create(Webhook(organization=province, url=url) for province in provinces)
    total = Organization.objects.count()
    print(f"organizations: {total:,}; webhooks: {Webhook.objects.count()}; load {os.getloadavg()}")
    print(
        f"{'day':<12}{'run':<6}{'reminders':>10}{'posts':>7}{'queries':>9}{'wall':>9}{'+posts':>9}{'peak RSS':>10}  load"
    )
    worst, reminded = 0.0, 0
    for day in DAYS:
        for run in (1, 2):
            before, posts = os.getloadavg()[0], received.value
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = send_reminders(today=day)
                wall = time.perf_counter() - started
                wait_for_drain()
                posted = time.perf_counter() - started
            worst, reminded = max(worst, posted), reminded + result.total
            print(
                f"{day.isoformat():<12}{run:<6}{result.total:>10}{received.value - posts:>7}{len(queries):>9}"
                f"{wall:>8.2f}s{posted:>8.2f}s{_peak_mb():>8.0f}MB  {before:.2f}→{os.getloadavg()[0]:.2f}"
            )
    delivered = WebhookDelivery.objects.filter(status="delivered", webhook__url=url).count()
    print(f"deliveries delivered: {delivered}; worst run {worst:.2f} s; peak RSS {_peak_mb():.0f} MB")
    held = worst <= BUDGET_SECONDS and _peak_mb() <= BUDGET_MB
    if not options.no_webhooks and (delivered != reminded or received.value != reminded):
        print(f"FAIL: {reminded} reminders but {received.value} posts received, {delivered} delivered")
        errors = WebhookDelivery.objects.filter(webhook__url=url).exclude(last_error="")
        print("errors:", list(errors.values_list("last_error", flat=True).distinct()[:3]))
        held = False
    print(f"budget ≤ {BUDGET_SECONDS:.0f} s and ≤ {BUDGET_MB:.0f} MB at this scale: {'PASS' if held else 'FAIL'}")
    Webhook.objects.filter(url=url).delete()
    receiver.terminate()
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
