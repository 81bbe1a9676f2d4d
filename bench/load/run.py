"""Load test: 50 users on the dashboards, the lists and the data-entry grid, against gunicorn on 127.0.0.1.

    make load                                   # what BENCHMARKS.md records
    .venv/bin/python bench/load/run.py --users 10 --duration 30     # a quick look

1. installs the load tool into .venv (bench/load/requirements.txt: locust, not an app dependency);
2. creates the PostgreSQL database unionportal_load afresh (--reuse-db keeps it), migrates it
   and loads the demo data (`load_demo`, with the dev settings: production refuses the demo);
3. collects the static files and starts gunicorn on 127.0.0.1 with unionportal.settings.load
   (production, less what plain http needs: see that module) — by default as docs/deploy.md runs
   it: 5 workers × 2 threads (2 × cores + 1 on this 2-core machine), --max-requests 2000, each
   worker warmed up before its first request (--config python:unionportal.gunicorn_conf;
   --no-warm-up starts them cold, for a before/after), with Redis as the shared cache
   (--cache-url; its keys prefixed with the database's name and a token of the run, so that runs
   and other users of the server never meet);
4. writes the plan (bench/load/plan.py), waits for the machine to settle, and runs
   bench/load/locustfile.py headless: --users users started at --spawn-rate per second, then
   all of them for --duration seconds;
5. stops gunicorn and prints the figures per endpoint, per group and overall for the steady
   part (every user started) and for the whole run, the load average before and during, and
   the CPU seconds the test itself used (gunicorn with its PostgreSQL backends, locust) against
   the machine's: the machine may be shared, and the figures say how much.

Exits 1 if any request of the whole run failed (sign-in and static files included) or if the
p95 of the dashboard, lists and grid requests of the steady part is above --budget-ms (500).
Files are left in var/load/: the plan, the summary (JSON, with a 5-second timeline of the
machine), every request (requests.csv), locust's HTML report, gunicorn's log and its access log (each request
with the server's own time in microseconds, beside the client's in requests.csv). Needs
PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from bench import host_speed  # noqa: E402 - after the path is set

PYTHON = sys.executable
BIN = Path(PYTHON).parent
PASSWORD = "unionportal-demo"  # the demo's documented password (README)


def step(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def run(command: list[str], env: dict, quiet: bool = True) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=quiet, text=True, check=False)
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"Failed: {' '.join(command)}")


def install_tool(env: dict) -> None:
    run([PYTHON, "-m", "pip", "install", "-q", "-r", str(HERE / "requirements.txt")], env)


def prepare_database(server: str, name: str, reuse: bool, env: dict) -> str:
    import psycopg2

    url = f"{server}/{name}"
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and reuse:
            connection.close()
            step(f"reusing the database {name}")
            return url
        if exists:
            cursor.execute(f'DROP DATABASE "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    dev = {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "unionportal.settings.dev", "DEBUG": "0"}
    step(f"migrate and load_demo into {name}")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], dev)
    run([PYTHON, "manage.py", "load_demo", "--password", PASSWORD], dev)
    # The planner's statistics, as autovacuum gives a database that has been running: without them
    # PostgreSQL guesses 300 bodies and scans every base union by level for each one's page.
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
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
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s (see var/load/gunicorn.log)")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def settle(below: float, longest: float) -> None:
    """Let the 1-minute load average come down after our own setup (migrate, load_demo)."""
    deadline = time.monotonic() + longest
    while load_average()[0] > below and time.monotonic() < deadline:
        time.sleep(5)


class CpuAccount:
    """CPU seconds: the machine's, and the test's own (gunicorn with its PostgreSQL backends; locust).

    The load average says how busy the machine was; this says how much of that was the test.
    Processes are sampled every few seconds, since a backend that closes (DB_CONN_MAX_AGE)
    takes its CPU time with it. snapshot() marks the start of a window, figures() measures it.
    """

    def __init__(self, server_pid: int, database: str, server: str) -> None:
        self.server_pid, self.database, self.server = server_pid, database, server
        self.locust_pid: int | None = None
        self.seen: dict[int, tuple[str, float]] = {}
        self.marks: dict[str, tuple[dict[int, float], float, float]] = {}

    def _backends(self) -> list[int]:
        import psycopg2

        connection = psycopg2.connect(f"{self.server}/postgres")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database])
            pids = [row[0] for row in cursor.fetchall()]
        connection.close()
        return pids

    def sample(self) -> None:
        import psutil

        kinds: dict[int, str] = {}
        try:
            server = psutil.Process(self.server_pid)
            for process in [server, *server.children(recursive=True)]:
                kinds[process.pid] = "server"
        except psutil.Error:
            pass
        for pid in self._backends():
            kinds[pid] = "server"
        if self.locust_pid is not None:
            kinds[self.locust_pid] = "locust"
        for pid, kind in kinds.items():
            try:
                times = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            self.seen[pid] = (kind, times.user + times.system)

    @staticmethod
    def _machine() -> float:
        import psutil

        times = psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def snapshot(self, name: str) -> None:
        self.sample()
        self.marks[name] = ({pid: seconds for pid, (_kind, seconds) in self.seen.items()}, self._machine(), time.time())

    def figures(self, name: str) -> dict:
        base, machine, started = self.marks[name]
        wall = time.time() - started
        ours = {"server": 0.0, "locust": 0.0}
        for pid, (kind, seconds) in self.seen.items():
            ours[kind] += max(seconds - base.get(pid, 0.0), 0.0)
        busy = self._machine() - machine
        return {
            "seconds": round(wall, 1),
            "available_cpu_s": round(wall * (os.cpu_count() or 1), 1),
            "machine_busy_cpu_s": round(busy, 1),
            "gunicorn_and_postgres_cpu_s": round(ours["server"], 1),
            "locust_cpu_s": round(ours["locust"], 1),
            "others_cpu_s": round(busy - ours["server"] - ours["locust"], 1),
        }


def pressure(resource: str) -> float | None:
    """Linux's pressure stall information: % of the last 10 s some task waited for `resource`."""
    try:
        first = Path(f"/proc/pressure/{resource}").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return float(first.split()[1].split("=")[1])


class LoadSampler(threading.Thread):
    """The 1-minute load average and the CPU times every 5 s; the steady window's marks once the ramp is over."""

    def __init__(self, cpu: CpuAccount, ramp: float) -> None:
        super().__init__(daemon=True)
        self.cpu, self.ramp = cpu, ramp
        self.samples: list[tuple[float, float, float]] = []
        self.steady_samples: list[tuple[float, float, float]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        previous = self.cpu.figures("run")
        self.timeline: list[dict] = []
        while not self.stopped.wait(5):
            self.samples.append(load_average())
            if time.monotonic() - started >= self.ramp:
                if "steady" not in self.cpu.marks:
                    self.cpu.snapshot("steady")
                self.steady_samples.append(load_average())
            self.cpu.sample()
            now = self.cpu.figures("run")
            span = max(now["seconds"] - previous["seconds"], 0.001)

            def cores(key: str, now=now, before=previous, span=span) -> float:
                return round((now[key] - before[key]) / span, 2)

            # Cores busy in the last 5 s, and the kernel's pressure stall figures (share of time
            # some task waited for a CPU, or for I/O), to tell the test's slow moments apart.
            self.timeline.append(
                {
                    "t": round(now["seconds"], 1),
                    "load1": self.samples[-1][0],
                    "busy": cores("machine_busy_cpu_s"),
                    "ours": round(cores("gunicorn_and_postgres_cpu_s") + cores("locust_cpu_s"), 2),
                    "cpu_pressure": pressure("cpu"),
                    "io_pressure": pressure("io"),
                }
            )
            previous = now


def ms(value) -> str:
    return "-" if value is None else f"{value:.0f}"


def table(window: dict, groups=None, with_endpoints: bool = True) -> list[str]:
    lines = [f"{'':34} {'requests':>8} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} {'req/s':>6}"]

    def line(label: str, f: dict) -> str:
        return (
            f"{label:34} {f['requests']:8d} {f['failures']:5d} {ms(f['p50_ms']):>6} {ms(f['p95_ms']):>6} "
            f"{ms(f['p99_ms']):>6} {ms(f['max_ms']):>6} {f['rps'] or 0:6.2f}"
        )

    for group, figures in window["groups"].items():
        if groups is not None and group not in groups:
            continue
        lines.append(line(group, figures))
        for name, f in window["endpoints"].items():
            if with_endpoints and name.split(":")[0] == group:
                lines.append(line("  " + name.split(": ", 1)[1], f))
    lines.append(line("overall (dashboard, lists, grid)", window["overall"]))
    lines.append(line("everything (with sign-in, static)", window["everything"]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second (default 2)")
    parser.add_argument("--duration", type=int, default=120, help="seconds with every user running (default 120)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (default 5: 2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument(
        "--no-warm-up",
        action="store_true",
        help="workers start cold, without docs/deploy.md's --config (their warm-up): for a before/after",
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="unionportal_load")
    parser.add_argument("--reuse-db", action="store_true", help="use the database as it is if it exists")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/2",
        help="the shared cache, as docs/deploy.md configures it (CACHE_URL); '' for the per-process default",
    )
    parser.add_argument("--budget-ms", type=float, default=500, help="overall p95 budget (default 500 ms)")
    parser.add_argument("--settle-below", type=float, default=1.5, help="wait for the 1-min load average to drop")
    parser.add_argument("--settle-max", type=float, default=90, help="…for at most this many seconds")
    args = parser.parse_args()

    out = ROOT / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in load_average())} ({os.cpu_count()} cores)")
    args.port = args.port or free_port()
    if not port_is_free(args.port):
        raise SystemExit(f"Port {args.port} on 127.0.0.1 is taken: pass --port.")

    step("install the load tool (bench/load/requirements.txt)")
    install_tool(env)
    database_url = prepare_database(args.server, args.database, args.reuse_db, env)
    app_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.load",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(out / "media"),
    }
    if args.cache_url:
        # Production's shared cache (job progress, the dashboards' bodies), its keys this run's own.
        app_env |= {"CACHE_URL": args.cache_url, "CACHE_KEY_PREFIX": f"{args.database}-{secrets.token_hex(4)}"}
    step("collectstatic and the plan")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], app_env)
    plan = out / "plan.json"
    run([PYTHON, str(HERE / "plan.py"), "--output", str(plan)], app_env, quiet=False)

    gunicorn = [
        str(BIN / "gunicorn"),
        "unionportal.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        "60",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--error-logfile",
        str(out / "gunicorn.log"),
        # Every request with the server's own time (microseconds, from the request read to the response sent).
        "--access-logfile",
        str(out / "access.log"),
        "--access-logformat",
        '%(t)s "%(r)s" %(s)s %(D)s',
        # As deployed: each worker warms up before its first request (unionportal/warmup.py).
        *([] if args.no_warm_up else ["--config", "python:unionportal.gunicorn_conf"]),
    ]
    step(f"gunicorn: {' '.join(gunicorn[1:])}")
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=app_env, start_new_session=True)  # noqa: S603
    summary_path = out / "summary.json"
    summary_path.unlink(missing_ok=True)
    sampler = None
    try:
        host = f"http://127.0.0.1:{args.port}"
        wait_for(f"{host}/healthz/", 60)
        step(f"waiting for the 1-min load average to fall below {args.settle_below} (at most {args.settle_max:.0f} s)")
        settle(args.settle_below, args.settle_max)
        speed_before = host_speed.reference_ms()  # before the run: its own CPU would slow the reference
        before = load_average()
        ramp = args.users / args.spawn_rate
        seconds = int(ramp + args.duration + 0.999)
        step(
            f"locust: {args.users} users, {args.spawn_rate}/s ({ramp:.0f} s), then {args.duration} s; "
            f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}"
        )
        cpu = CpuAccount(server.pid, args.database, args.server)
        cpu.snapshot("run")
        sampler = LoadSampler(cpu, ramp)
        sampler.start()
        locust_env = {**env, "LOAD_PLAN": str(plan), "LOAD_SUMMARY": str(summary_path), "LOAD_PASSWORD": PASSWORD}
        locust = [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--html",
            str(out / "report.html"),
        ]
        process = subprocess.Popen(locust, cwd=ROOT, env=locust_env)  # noqa: S603
        cpu.locust_pid = process.pid
        process.wait()
        sampler.stopped.set()
        sampler.join()
        cpu.sample()  # locust has exited: its last times are those sampled last, within 5 s
        cpu_used = {name: cpu.figures(name) for name in cpu.marks}
    finally:
        if sampler is not None:
            sampler.stopped.set()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    after = load_average()
    speed_after = host_speed.reference_ms()

    if not summary_path.exists():
        raise SystemExit("locust wrote no summary")
    summary = json.loads(summary_path.read_text())
    during = [x[0] for x in (sampler.samples or [after])]
    steady = [x[0] for x in (sampler.steady_samples or [after])]
    summary["load_average"] = {
        "before": before,
        "during_mean_1min": round(sum(during) / len(during), 2),
        "during_max_1min": max(during),
        "steady_mean_1min": round(sum(steady) / len(steady), 2),
        "steady_max_1min": max(steady),
        "after": after,
    }
    summary["host_speed_ms"] = {"before": round(speed_before, 1), "after": round(speed_after, 1)}
    summary["gunicorn"] = {"workers": args.workers, "threads": args.threads}
    summary["cpu"] = cpu_used
    summary["timeline"] = getattr(sampler, "timeline", [])
    summary_path.write_text(json.dumps(summary, indent=1, ensure_ascii=False))

    run_, steady_ = summary["run"], summary["steady"]
    print()
    print(
        f"UnionPortal load test: {summary['users']} users ({args.spawn_rate:g} started per second), "
        f"gunicorn {args.workers} workers × {args.threads} threads, {os.cpu_count()} cores"
    )
    think = summary["think"]
    print(
        f"think time: {think['page'][0]:.0f}–{think['page'][1]:.0f} s between pages, "
        f"{think['cell'][0]:.0f}–{think['cell'][1]:.0f} s between grid cells"
    )
    print(f"steady part, every user started ({steady_['seconds']:.0f} s), milliseconds:")
    for text in table(steady_):
        print(text)
    print(f"whole run with the ramp ({run_['seconds']:.0f} s):")
    for text in table(run_, groups=("login", "static"), with_endpoints=False):
        print(text)
    la = summary["load_average"]
    print(
        f"load average (1/5/15 min): before {' '.join(f'{x:.2f}' for x in before)}; 1-min every 5 s "
        f"over the run: mean {la['during_mean_1min']:.2f}, max {la['during_max_1min']:.2f}, steady part: mean "
        f"{la['steady_mean_1min']:.2f}, max {la['steady_max_1min']:.2f}; after {' '.join(f'{x:.2f}' for x in after)}"
    )
    print(
        f"host speed (bench/host_speed.py, CPU ms of a fixed piece of work, lower is faster): before "
        f"{speed_before:.1f}, after {speed_after:.1f}"
    )
    for name, c in cpu_used.items():
        print(
            f"CPU seconds, {'whole run' if name == 'run' else 'steady part'} ({c['seconds']:.0f} s, "
            f"{c['available_cpu_s']:.0f} available): machine busy {c['machine_busy_cpu_s']:.0f} = gunicorn and its "
            f"PostgreSQL backends {c['gunicorn_and_postgres_cpu_s']:.0f} + locust {c['locust_cpu_s']:.0f} + "
            f"others {c['others_cpu_s']:.0f}"
        )
    for error in summary["errors"]:
        print(f"FAILED {error['count']}× {error['name']}: {error['error']}")
    failures = run_["everything"]["failures"]
    p95 = steady_["overall"]["p95_ms"] or 0
    passed = failures == 0 and p95 <= args.budget_ms and steady_["overall"]["requests"] > 0
    print(
        f"{'PASS' if passed else 'FAIL'}: {failures} failed requests in the whole run (budget 0), "
        f"p95 of the dashboards, lists and grid in the steady part {p95:.0f} ms (budget {args.budget_ms:.0f} ms)"
    )
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
