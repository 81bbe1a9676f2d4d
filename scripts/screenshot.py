"""Screenshot portal pages in Debian's Chromium, as a user sees them.

    .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8001 --user quangbinh \
        --password unionportal-demo --out var/screenshots /branches/ /organizations/HG-QB/

Add --mobile for a phone-sized viewport.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="quangbinh")
    parser.add_argument("--password", default="unionportal-demo")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--mobile", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    viewport = {"width": 390, "height": 844} if args.mobile else {"width": 1366, "height": 900}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=viewport)
        page.goto(f"{args.base}/login/")
        if args.user:
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
            target = out / f"{args.user or 'anon'}-{name}{'-mobile' if args.mobile else ''}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
