"""The load scenario: officers of the demo accounts on the dashboards, the lists and the data-entry grid.

Run by bench/load/run.py (`make load`), which builds the database, the plan (bench/load/plan.py)
and gunicorn, then: locust -f bench/load/locustfile.py --headless -u 50 … with LOAD_PLAN set.

Each simulated user signs in with its own session as one of the demo accounts (users are dealt
to the accounts in turn, so several share an account, as colleagues of one office would), then
repeats one of three visits, picked with these weights, waiting PAGE_THINK between visits:

- dashboard (4): a program's scorecard, then one or two clicks of the drill-down, each chosen
  at random among the links the page shows: another indicator of the scorecard, a body below
  (its own dashboard) or a red status (the list of the branches behind);
- lists (4): one of the organization tree (then opening one or two of its nodes, htmx), the
  base unions (then the next page or a sector), the members (then a later page, a search by
  name or the executive committees) and the workplaces (then the next page or the
  enterprises without a union);
- grid (2): the data-entry periods, then the grid of one of the account's bodies for the open
  period; an account that enters figures then types 3 to 8 cells of one row, one after the
  other (CELL_THINK each), each saved by the htmx endpoint with the CSRF header and the cell's
  version exactly as the page gives them (hx-headers, hx-vals). Values are valid: a choice of
  the list, or a number within the element's bounds and its "≤" rules against the row's other
  cells. Users sharing a grid take disjoint rows and accounts never share a grid, so no save
  meets an edit conflict.

Every request is checked: the expected status (200, no redirect followed: a login redirect is a
failure) and a marker of the right page. At the end the figures per endpoint, per group and
overall, for the whole run and for its steady part (every user started), are written to
LOAD_SUMMARY (JSON) for run.py, and every request to requests.csv beside it.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
PASSWORD = os.environ.get("LOAD_PASSWORD", "unionportal-demo")
ACCOUNTS = list(PLAN["accounts"])
if os.environ.get("LOAD_ACCOUNTS"):
    ACCOUNTS = [a for a in os.environ["LOAD_ACCOUNTS"].split(",") if a in PLAN["accounts"]]
ELEMENTS = PLAN["elements"]
BASE_UNIONS = set(PLAN.get("base_unions", ()))
RULES = PLAN["rules"]

PAGE_THINK = (3.0, 10.0)  # seconds reading a page before the next click
CELL_THINK = (2.0, 6.0)  # seconds typing a figure and tabbing to the next cell
GROUPS = ("dashboard", "lists", "grid")  # what the budget is about; "login" and "static" are reported apart

_numbers = itertools.count()

HREF = re.compile(r'href="([^"]+)"')
CSRF_HEADER = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHILDREN = re.compile(r'hx-get="(/organizations/([^/"]+)/children/)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
# The grid (indicators/templatetags/grid_tags.py): what a column's cells share is on its header
# (code, id, kind, a select's options in a <template>); a row is `<tr data-r=CODE data-id=PK>` and a
# cell only its field, `<input value=12 data-v=3>` or `<select><option value=x>…</select>`, the
# version written only when it is not the usual one (1 filled, 0 empty). The rows below the first
# screen are the same markup as the text of a <script type="text/html">.
CELL_BASE = re.compile(r'data-cell-base="([^"]+)"')
COLUMN = re.compile(
    r'<th scope="col" class="col-head[^"]*" data-e="([^"]+)" data-id="(\d+)" data-k="([^"]+)"[^>]*>(.*?)</th>', re.S
)
ROW = re.compile(r'<tr data-r="([^"]+)" data-id="(\d+)">(.*?)(?=<tr |</tbody>|</script>|$)', re.S)
FIELD = re.compile(
    r'^<(input|select)(?: value=("[^"]*"|[^\s>]*))?(?: data-v=(\d+))?>(?:<option value=("[^"]*"|[^\s>]*)>)?'
)
OPTION = re.compile(r'<option value="([^"]*)"')


def _unquote(value: str | None) -> str:
    if not value:
        return ""
    return html.unescape(value[1:-1]) if value.startswith('"') else value


class Cell:
    __slots__ = ("id", "url", "version", "row", "element", "saved", "options")

    def __init__(self, base: str, row: tuple[str, str], column: tuple[str, str, list | None], field) -> None:
        (row_code, row_pk), (code, element_pk, options) = row, column
        kind, value, version, option = field.groups()
        self.saved = _unquote(option if kind == "select" else value)
        self.version = int(version) if version else (1 if self.saved else 0)
        self.id = f"{row_pk}-{element_pk}"
        self.row, self.element = row_code, code
        self.url = f"{base}{row_code}/{code}/"
        self.options = options if kind == "select" else None


def grid_cells(page: str) -> dict[str, list[Cell]]:
    """{row's code: its editable cells} of a grid page, the rows kept as text included."""
    base = CELL_BASE.search(page)
    if base is None:
        return {}
    base = html.unescape(base.group(1))
    columns = [
        (code, pk, [v for v in OPTION.findall(head) if v] if kind != "number" else None)
        for code, pk, kind, head in COLUMN.findall(page)
    ]
    rows: dict[str, list[Cell]] = {}
    for row_code, row_pk, body in ROW.findall(page):
        for column, chunk in zip(columns, body.split("<td")[1:], strict=False):
            field = FIELD.match(chunk.lstrip(">"))
            if field is not None:
                rows.setdefault(row_code, []).append(Cell(base, (row_code, row_pk), column, field))
    return rows


def read_number(text: str) -> float | None:
    """The grid writes 1.234,5 (Vietnamese): dots group thousands, a comma starts the decimals."""
    if not text:
        return None
    try:
        return float(text.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def valid_number(code: str, row: dict[str, float | None]) -> int | None:
    """A whole number the grid accepts for `code` beside the row's other figures, or None if none fits."""
    meta = ELEMENTS.get(code, {})
    low = meta.get("min") or 0.0
    high = meta.get("max")
    for left, operator, right in RULES:
        if left == code and row.get(right) is not None:
            other, flip = row[right], False
        elif right == code and row.get(left) is not None:
            other, flip = row[left], True  # "left ≤ code" bounds code from below
        else:
            continue
        operator = {"lte": "gte", "lt": "gt", "gte": "lte", "gt": "lt"}.get(operator, operator) if flip else operator
        if operator in ("lte", "lt"):
            bound = other - (1 if operator == "lt" else 0)
            high = bound if high is None else min(high, bound)
        elif operator in ("gte", "gt"):
            low = max(low, other + (1 if operator == "gt" else 0))
        elif operator == "eq":
            low = high = other
    if high is None:
        high = low + (300_000_000 if meta.get("type") == "money" else 300)
    low, high = math.ceil(low), math.floor(high)
    return random.randint(low, high) if low <= high else None


class PortalUser(HttpUser):
    wait_time = between(*PAGE_THINK)

    def on_start(self) -> None:
        number = next(_numbers)
        total = max(self.environment.parsed_options.num_users or 1, number + 1)
        self.username = ACCOUNTS[number % len(ACCOUNTS)]
        self.account = PLAN["accounts"][self.username]
        # The users of one account, in turn, take its editable grids; those sharing a grid split its rows.
        rank = number // len(ACCOUNTS)
        peers = len(range(number % len(ACCOUNTS), total, len(ACCOUNTS)))
        editable = [g for g in self.account["grids"] if g["edit"]]
        if editable:
            self.grid = editable[rank % len(editable)]
            self.stripe = (rank // len(editable), len(range(rank % len(editable), peers, len(editable))))
        else:
            self.grid, self.stripe = None, (0, 1)
        self.csrf = ""
        # Behind nginx (docs/deploy.md) gunicorn gets a new connection per request, whatever the
        # browser keeps open with nginx: the same here, and no request races gunicorn's closing
        # of an idle keep-alive connection (which a browser would retry and a test would count).
        self.client.headers["Connection"] = "close"
        self.login()

    # --- requests -------------------------------------------------------------------------

    def get(self, url: str, name: str, *markers: str, htmx: bool = False) -> str | None:
        headers = {"HX-Request": "true", "HX-Current-URL": self.host + self.page} if htmx else None
        with self.client.get(url, name=name, headers=headers, allow_redirects=False, catch_response=True) as response:
            if self.check(response, 200, markers):
                if not htmx:
                    self.page = url
                    if token := CSRF_HEADER.search(response.text):
                        self.csrf = token.group(1)
                return response.text
        return None

    @staticmethod
    def check(response, status: int, markers) -> bool:
        if response.status_code == 0:
            response.failure(f"no answer: {type(response.error).__name__}: {response.error}")
            return False
        if response.status_code != status:
            where = response.headers.get("Location", "")
            response.failure(f"status {response.status_code}, expected {status}{' → ' + where if where else ''}")
            return False
        missing = next((m for m in markers if m not in response.text), None)
        if missing is not None:
            response.failure(f"not the expected page: no {missing!r}")
            return False
        response.success()
        return True

    def think(self, bounds=PAGE_THINK) -> None:
        time.sleep(random.uniform(*bounds))

    # --- signing in -----------------------------------------------------------------------

    def login(self) -> None:
        self.page = "/login/"
        form = self.get("/login/", "login: form", 'name="csrfmiddlewaretoken"')
        if form is None:
            return
        token = FORM_TOKEN.search(form).group(1)
        data = {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD}
        headers = {"Referer": self.host + "/login/"}
        with self.client.post(
            "/login/", data=data, headers=headers, name="login: post", allow_redirects=False, catch_response=True
        ) as response:
            if not self.check(response, 302, ()):
                return
            if response.headers.get("Location") != "/":
                response.failure(f"signed in to {response.headers.get('Location')!r}, not the home page")
                return
        home = self.get("/", "login: home", 'action="/logout/"')
        # A browser fetches the stylesheets and scripts once, then keeps them (hashed names, cached forever).
        for asset in sorted(set(STATIC.findall(home or ""))):
            with self.client.get(asset, name="static: asset", catch_response=True) as response:
                self.check(response, 200, ())

    # --- the three visits -----------------------------------------------------------------

    @task(4)
    def dashboard(self) -> None:
        url = random.choice(self.account["dashboards"])
        page = self.get(url, "dashboard: scorecard", 'id="scorecard"')
        for _click in range(random.choice((1, 2))):
            if page is None:
                return
            links = self.drill_links(url, page)
            if not links:
                return
            self.think()
            kind, url = random.choice(links)
            if kind == "branches":
                page = self.get(url, "dashboard: branches", 'id="branches"')
                return
            if kind == "drill-down" and urlsplit(url).path.split("/")[2] in BASE_UNIONS:
                kind = "base union"  # a drill-down to a base union's page, measured live (point 3's budget)
            page = self.get(url, f"dashboard: {kind}", 'id="scorecard"')

    @staticmethod
    def drill_links(url: str, page: str) -> list[tuple[str, str]]:
        path = urlsplit(url).path
        links = []
        for href in HREF.findall(page):
            href = html.unescape(href).split("#")[0]
            if href.startswith("?indicator=") and "sort=" not in href:
                links.append(("indicator", path + href))
            elif href.startswith("/reports/") and "/branches/" in href:
                links.append(("branches", href))
            elif href.startswith("/reports/") and "indicator=" in href and urlsplit(href).path != path:
                links.append(("drill-down", href))
        # One of each kind, equally likely, then a link of that kind.
        kinds = sorted({kind for kind, _ in links})
        if not kinds:
            return []
        chosen = random.choice(kinds)
        return [link for link in links if link[0] == chosen]

    @task(4)
    def lists(self) -> None:
        random.choice((self.tree, self.branches, self.members, self.workplaces))()

    def tree(self) -> None:
        page = self.get("/organizations/", "lists: tree", 'id="tree-q"')
        for _click in range(random.choice((1, 2))):
            nodes = CHILDREN.findall(page or "")
            if not nodes:
                return
            self.think()
            url, code = random.choice(nodes)
            page = self.get(url, "lists: tree children", f'id="children-{code}"', htmx=True)

    def branches(self) -> None:
        page = self.get("/branches/", "lists: base unions", "sector-pill")
        if page is None:
            return
        self.think()
        sectors = [h for h in map(html.unescape, HREF.findall(page)) if h.startswith("?") and "sector=" in h]
        if random.random() < 0.5 and "page=2" in page:
            self.get("/branches/?page=2", "lists: base unions", "sector-pill")
        elif sectors:
            self.get("/branches/" + random.choice(sectors), "lists: base unions", "sector-pill")

    def members(self) -> None:
        marker = "table-compact text-nowrap"
        page = self.get("/members/", "lists: members", marker)
        if page is None:
            return
        self.think()
        pages = [int(n) for n in re.findall(r"[?&;]page=(\d+)", page)]
        choice = random.random()
        if choice < 0.4 and pages:
            query = {"page": random.randint(2, max(2, min(max(pages), 20)))}
        elif choice < 0.8:
            query = {"q": random.choice(("Nguyễn", "Trần", "Lê Thị", "Hoàng", "Phạm Văn"))}
        else:
            query = {"role": "committee"}
        self.get("/members/?" + urlencode(query), "lists: members", marker)

    def workplaces(self) -> None:
        marker = "unionized=no"
        page = self.get("/workplaces/", "lists: workplaces", marker)
        if page is None:
            return
        self.think()
        if random.random() < 0.5 and "page=2" in page:
            self.get("/workplaces/?page=2", "lists: workplaces", marker)
        else:
            self.get("/workplaces/?kind=enterprises&unionized=no&min_workers=5", "lists: workplaces", marker)

    @task(2)
    def grid(self) -> None:
        root, period = self.account["root"], PLAN["period"]
        if self.get(f"/data/?org={root}", "grid: periods", f'href="/data/{period}/{root}/"') is None:
            return
        self.think()
        grid = self.grid or random.choice(self.account["grids"])
        if not grid["edit"]:
            self.get(grid["url"], "grid: view", 'id="grid-progress"')
            return
        page = self.get(grid["url"], "grid: view", 'id="grid-progress"', "data-cell-base=")
        if page is None:
            return
        rows = grid_cells(page)
        slot, sharers = self.stripe
        mine = list(rows)[slot::sharers]
        if not mine:
            return
        cells = rows[random.choice(mine)]
        values = {c.element: read_number(c.saved) for c in cells if c.options is None}
        start = random.randrange(len(cells))
        for cell in cells[start : start + random.randint(3, 8)]:
            self.think(CELL_THINK)
            if cell.options is not None:
                value = random.choice([o for o in cell.options if o != cell.saved] or cell.options)
            else:
                number = valid_number(cell.element, values)
                if number is None:
                    continue
                value, values[cell.element] = str(number), number
            self.save(grid["url"], cell, value)

    def save(self, grid_url: str, cell: Cell, value: str) -> None:
        headers = {
            "X-CSRFToken": self.csrf,  # from <body hx-headers>, as htmx sends it
            "HX-Request": "true",
            "HX-Current-URL": self.host + grid_url,
            "HX-Target": f"cell-{cell.id}",
            "HX-Trigger": f"v-{cell.id}",
            "HX-Trigger-Name": "value",
            "Referer": self.host + grid_url,
        }
        data = {"value": value, "version": str(cell.version)}
        with self.client.post(
            cell.url, data=data, headers=headers, name="grid: save cell", allow_redirects=False, catch_response=True
        ) as response:
            self.check(response, 200, (f'id="cell-{cell.id}"', "cell-saved", 'id="grid-progress"'))


# --- the figures ---------------------------------------------------------------------------
# Every request is kept (time, name, milliseconds, failed) and the figures are exact percentiles
# (nearest rank) of two windows: the whole run, and the steady part once every user has been
# started, which is what the budget is about; sign-ins fall almost all in the ramp before it.

_requests: list[tuple[float, str, float, bool]] = []
_moments: dict[str, float] = {}


@events.test_start.add_listener
def _on_test_start(environment, **_kwargs) -> None:
    _moments["start"] = time.time()


@events.spawning_complete.add_listener
def _on_spawning_complete(user_count, **_kwargs) -> None:
    _moments.setdefault("steady", time.time())


@events.request.add_listener
def _on_request(name, response_time, exception, **_kwargs) -> None:
    _requests.append((time.time(), name, float(response_time), exception is not None))


def _percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 1)


def _figures(rows: list[tuple[float, str, float, bool]], seconds: float) -> dict:
    ordered = sorted(r[2] for r in rows)
    return {
        "requests": len(rows),
        "failures": sum(1 for r in rows if r[3]),
        "p50_ms": _percentile(ordered, 0.50),
        "p95_ms": _percentile(ordered, 0.95),
        "p99_ms": _percentile(ordered, 0.99),
        "mean_ms": round(sum(ordered) / len(ordered), 1) if ordered else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "rps": round(len(rows) / seconds, 2) if seconds else None,
    }


def _window(rows: list[tuple[float, str, float, bool]], start: float, end: float) -> dict:
    seconds = max(end - start, 0.001)
    names = sorted({r[1] for r in rows})
    group = {name: name.split(":")[0] for name in names}
    return {
        "seconds": round(seconds, 1),
        "endpoints": {name: _figures([r for r in rows if r[1] == name], seconds) for name in names},
        "groups": {g: _figures([r for r in rows if group[r[1]] == g], seconds) for g in sorted(set(group.values()))},
        "overall": _figures([r for r in rows if group[r[1]] in GROUPS], seconds),
        "everything": _figures(rows, seconds),
    }


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    target = os.environ.get("LOAD_SUMMARY")
    if not target:
        return
    end = time.time()
    start = _moments.get("start", end)
    steady = _moments.get("steady", start)
    summary = {
        "users": environment.parsed_options.num_users,
        "accounts": ACCOUNTS,
        "think": {"page": PAGE_THINK, "cell": CELL_THINK},
        "run": _window(_requests, start, end),
        "steady": _window([r for r in _requests if r[0] >= steady], steady, end),
        "errors": [
            {"name": e.name, "error": str(e.error), "count": e.occurrences} for e in environment.stats.errors.values()
        ],
    }
    Path(target).write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    with Path(target).with_name("requests.csv").open("w") as out:
        out.write("seconds,name,ms,failed\n")
        for moment, name, ms, failed in _requests:
            out.write(f"{moment - start:.3f},{name},{ms:.1f},{int(failed)}\n")
