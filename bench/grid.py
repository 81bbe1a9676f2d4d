"""The data-entry grid in Chromium: HTML bytes and time to usable (issue 13, point 5).

    .venv/bin/python bench/grid.py [--loads 9] [--code DIR] [--rebuild]

1. An embedded SQLite database in var/bench/ with the demo (`migrate`, `load_demo`) and two
   districts of its own under LĐLĐ tỉnh Hà Giang: BENCH-87 (87 base unions of every sector, so
   that all 17 base figures are columns) and BENCH-330 (330, the largest district of the national
   dataset), 9 in 10 of them with every figure of 2024 entered.
2. gunicorn on 127.0.0.1 with unionportal.settings.load (production's, over plain http), serving
   the code of this checkout — or of --code DIR, e.g. an export of main, to measure "before" with
   the same script and the same database.
3. Debian's Chromium (/usr/bin/chromium, as tests/browser/conftest.py; never a downloaded one),
   signed in as `hagiang`: each grid is loaded once to warm up, then --loads times. "Usable" is
   the moment the first cell's field takes the focus, read in the page (performance.now(), from the
   start of the navigation) by a probe that runs once DOMContentLoaded's handlers are done (htmx,
   keepedits.js). Bytes are the HTML of the page as sent. The rows below the first screen join the
   table after it (grid.js): "every row in the table" is that moment ("grid:complete"), and the
   fields counted are those of every row.

Prints the load average before and after: the two cores are shared with other work.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "unionportal-demo"
PERIOD = "2024"
DISTRICTS = {"BENCH-87": 87, "BENCH-330": 330}
SECTORS = [
    "school",
    "hcsn",
    "school",
    "hcsn",
    "non_state_enterprise",
    "school",
    "hcsn",
    "state_enterprise",
    "cooperative",
]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def build() -> None:
    """The two districts and their 2024 figures, in the database of DATABASE_URL (run inside Django)."""
    import datetime

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from indicators.models import DataElement, DataValue, ValueType
    from indicators.periods import get_period, period_open
    from organizations import services
    from organizations.models import Level, Organization

    rng = random.Random(13)
    user = get_user_model().objects.get(username="hagiang")
    province = Organization.objects.get(code="HG")
    period = get_period(PERIOD)
    if not period.pk:
        period = period_open(code=PERIOD)
    elements = list(DataElement.objects.filter(level__code=Level.BASE))
    with transaction.atomic():
        for code, size in DISTRICTS.items():
            if Organization.objects.filter(code=code).exists():
                continue
            district = services.organization_create(
                parent=province,
                code=code,
                name=f"LĐLĐ huyện Thử nghiệm {size}",
                level=Level.objects.get(code=Level.UPPER),
                founded_on=datetime.date(2015, 1, 1),
                record=False,
            )
            values = []
            for n in range(size):
                branch = services.organization_create(
                    parent=district,
                    code=f"{code}-{n + 1:03d}",
                    name=f"CĐCS Trường, đơn vị thử nghiệm số {n + 1} của huyện {size}",
                    level=Level.objects.get(code=Level.BASE),
                    sector=SECTORS[n % len(SECTORS)],
                    founded_on=datetime.date(2015, 1, 1),
                    record=False,
                )
                if n % 10 == 9:
                    continue  # one in ten has entered nothing yet
                for element in elements:
                    if not element.applies_to(branch) or not element.collected_in(period):
                        continue
                    value = DataValue(element=element, organization=branch, period=period, updated_by=user)
                    if element.value_type == ValueType.BOOLEAN:
                        value.boolean = rng.random() < 0.8
                    elif element.value_type == ValueType.CHOICE:
                        value.choice = rng.choice(element.choices)["code"]
                    else:
                        value.number = rng.randint(1, 400)
                    values.append(value)
            DataValue.objects.bulk_create(values)
            print(f"{code}: {size} base unions, {len(values)} figures")


def run(command: list[str], env: dict, cwd: Path = ROOT) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True)  # noqa: S603 - our own commands


def prepare(database: Path, rebuild: bool) -> str:
    url = f"sqlite:///{database}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "unionportal.settings.dev", "DEBUG": "0"}
    if rebuild:
        database.unlink(missing_ok=True)
    if not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([PYTHON, "manage.py", "load_demo", "--password", PASSWORD], env)
    run([PYTHON, __file__, "--build"], env)
    return url


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own 127.0.0.1 server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


# Injected before the page's own scripts (Playwright's init script, outside the page's CSP): once
# DOMContentLoaded's handlers have run (htmx, keepedits.js), the first cell's field takes the focus,
# and the moment is kept in the page — no round trip to Playwright inside the measure.
PROBE = """document.addEventListener('DOMContentLoaded', () => setTimeout(() => {
  const field = document.querySelector('.data-grid:not(.own-grid) .cell-input');
  if (!field) return;
  field.focus();
  const nav = performance.getEntriesByType('navigation')[0];
  window.__usable = {ok: document.activeElement === field, usable: performance.now(),
    dcl: nav.domContentLoadedEventEnd, ttfb: nav.responseStart, html: nav.responseEnd, parsed: nav.domInteractive,
    cells: document.querySelectorAll('.data-grid:not(.own-grid) .cell-input').length};
}, 0));
// The moment every row of the page is in the table (grid.js adds those below the first screen).
document.addEventListener('grid:complete', () => { window.__complete = {at: performance.now(),
  cells: document.querySelectorAll('.data-grid:not(.own-grid) .cell-input').length}; });"""


def measure(host: str, paths: list[str], loads: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        page.add_init_script(PROBE)
        page.goto(f"{host}/login/")
        page.fill("#id_username", "hagiang")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{host}/")
        for path in paths:
            body = page.request.get(f"{host}{path}").body()
            times, dcls, completes, cells, parts = [], [], [], 0, {"ttfb": [], "html": [], "parsed": []}
            for n in range(loads + 1):
                page.goto(f"{host}{path}", wait_until="domcontentloaded")
                found = page.wait_for_function("window.__usable", timeout=60000).json_value()
                if not found["ok"]:
                    raise SystemExit(f"{path}: no cell could take the focus")
                complete = page.wait_for_function("window.__complete", timeout=60000).json_value()
                if n:  # the first load warms up the server and the browser's cache
                    times.append(found["usable"])
                    completes.append(complete["at"])
                    dcls.append(found["dcl"])
                    for part, seen in parts.items():
                        seen.append(found[part])
                cells = complete["cells"]
            times.sort()
            results.append(
                {
                    "path": path,
                    "bytes": len(body),
                    "cells": cells,
                    "p50": statistics.median(times),
                    "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                    "dcl50": statistics.median(dcls),
                    "complete50": statistics.median(completes),
                    **{f"{part}50": statistics.median(seen) for part, seen in parts.items()},
                    "all": times,
                }
            )
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=9, help="measured loads of each grid (after one to warm up)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout gunicorn serves (default: this one)")
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "bench" / "grid.sqlite3")
    parser.add_argument("--rebuild", action="store_true", help="start from an empty database")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build()
        return
    print(f"load average at start: {load_average()} ({os.cpu_count()} cores)")
    url = prepare(args.database, args.rebuild)
    code = args.code.resolve()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.load",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(code),
    }
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env, cwd=code)
    server = subprocess.Popen(  # noqa: S603 - our own server, on loopback
        [GUNICORN, "unionportal.wsgi:application", "--bind", f"127.0.0.1:{args.port}", "--workers", "2"],
        cwd=code,
        env=env,
        start_new_session=True,
    )
    try:
        host = f"http://127.0.0.1:{args.port}"
        wait_for(f"{host}/healthz/", 60)
        print(f"serving {code} · load average before measuring: {load_average()}")
        paths = [f"/data/{PERIOD}/BENCH-87/", f"/data/{PERIOD}/BENCH-330/", f"/data/{PERIOD}/HG-QB/"]
        results = measure(host, paths, args.loads)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average after: {load_average()}")
    for r in results:
        print(
            f"{r['path']:28} {r['bytes'] / 1024:7.1f} KB  {r['cells']:5d} fields  usable p50 {r['p50']:6.0f} ms"
            f"  p95 {r['p95']:6.0f} ms  (p50 of first byte {r['ttfb50']:.0f}, last byte {r['html50']:.0f},"
            f" parsed {r['parsed50']:.0f}, DOMContentLoaded {r['dcl50']:.0f} ms, every row in the table"
            f" {r['complete50']:.0f} ms; usable: "
            f"{', '.join(f'{t:.0f}' for t in r['all'])})"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
