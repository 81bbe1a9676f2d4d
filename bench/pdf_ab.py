"""Benchmark: the district PDF of two versions of the code, in the same minutes (issue 17 point 2).

    .venv/bin/python bench/pdf_ab.py --database postgres://postgres@127.0.0.1:5432/pdf25_bench
    .venv/bin/python bench/pdf_ab.py --base main --rounds 7 --warm 2

On a machine shared with others the same code's CPU time moves by a sixth or more from one quarter of an
hour to the next (bench/host_speed.py), so two figures taken at different times compare the host as much
as the code. This exports `--base` (a commit or branch, `git archive`) to a temporary folder and starts two
worker processes: one on that copy, one on this checkout. Each renders the district's report
(`reports.jobs.write_report(..., fmt="pdf", live=True)`, the district bench/pdf_cpu.py picks) `--warm`
times, then they take turns, one render each, `--rounds` times (A B, B A, A B…: neither always goes first),
both pinned to the same CPU (`--cpu`): on this virtual machine the two cores need not run at one speed.
It prints for each code the CPU time (time.process_time of the worker: p50, min, max; the budget is the
maximum ≤ 1 s), the wall time, and the load average and host reference before and after.

Then each renders once more with the report's two timestamps pinned, and the two files are compared:
"same bytes" means the code under test writes the very file the base code writes. The export's translations
are compiled (`compilemessages`, as this checkout's must be: *.mo files are not in git).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/up_pdfcpu_bench"
BUDGET = 1.0
PINNED = "2026-01-01T00:00:00+00:00"


def _loads() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


# --- the worker: one process on one copy of the code ---------------------------------------------------


def worker(root: str, database: str, branches: int, period: str, cpu: int | None) -> None:
    """Answers one line of JSON per command read on stdin: `render`, `pinned PATH`, `shortcuts`, `quit`."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    sys.path.insert(0, root)
    from bench.reports import _django, pick_subjects  # the copy's own: same names in both

    _django(database)
    from reports.jobs import write_report
    from reports.renderers import pdf

    subjects = pick_subjects(branches, period)
    folder = Path(tempfile.mkdtemp(prefix="pdf_ab_"))
    target = folder / "report.pdf"

    def write() -> None:
        write_report(
            target,
            organization=subjects.district,
            program=subjects.program,
            period=subjects.period,
            fmt="pdf",
            live=True,
        )

    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "render":
            started, used = time.perf_counter(), time.process_time()
            write()
            say = {"cpu": time.process_time() - used, "wall": time.perf_counter() - started}
        elif command == "pinned":
            real = pdf._w3c
            pdf._w3c = lambda stamp: PINNED  # the report's created and modified dates
            try:
                write()
            finally:
                pdf._w3c = real
            content = target.read_bytes()
            Path(argument).write_bytes(content)
            say = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        elif command == "shortcuts":
            say = {"shortcuts": _shortcuts()}
        elif command == "quit":
            break
        else:
            say = {"error": f"unknown command {command!r}"}
        print(json.dumps(say), flush=True)
    target.unlink(missing_ok=True)
    folder.rmdir()


# Where WeasyPrint's functions are looked up ("module:attribute.attribute"), to say which of them a copy of the
# code has replaced.
PATCHED = (
    "weasyprint.layout.block:block_container_layout",
    "weasyprint.layout.inline:split_first_line",
    "weasyprint.layout.inline:avoid_collisions",
    "weasyprint.layout.inline:strut",
    "weasyprint.layout.inline:resolve_percentages",
    "weasyprint.layout.background:layout_box_backgrounds",
    "weasyprint.formatting_structure.build:collapse_table_borders",
    "weasyprint.formatting_structure.boxes:Box.descendants",
    "weasyprint.css:StyleFor.__init__",
    "weasyprint.draw:draw_collapsed_borders",
    "weasyprint.draw:draw_text",
)


def _shortcuts() -> list[str]:
    import importlib

    names = []
    for place in PATCHED:
        module_name, _, path = place.partition(":")
        function = importlib.import_module(module_name)
        for attribute in path.split("."):
            function = getattr(function, attribute, None)
        if getattr(function, "__module__", "").startswith("reports."):
            names.append(f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}")
    return sorted(names)


class Worker:
    def __init__(self, name: str, root: Path, args) -> None:
        self.name, self.root = name, root
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                str(root),
                "--database",
                args.database,
                "--district-branches",
                str(args.district_branches),
                "--period",
                args.period,
                "--cpu",
                str(args.cpu),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
        )
        self.cpu: list[float] = []
        self.wall: list[float] = []

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.name} ({self.root}) stopped")
        return json.loads(line)

    def render(self) -> None:
        answer = self.ask("render")
        self.cpu.append(answer["cpu"])
        self.wall.append(answer["wall"])

    def summary(self) -> str:
        top = max(self.cpu)
        verdict = "PASS" if top <= BUDGET else "FAIL"
        return (
            f"{self.name:<7} CPU p50 {statistics.median(self.cpu):.3f} s  min {min(self.cpu):.3f}  max {top:.3f}"
            f"  (max ≤ {BUDGET:.0f} s: {verdict})  wall p50 {statistics.median(self.wall):.3f} s  max {max(self.wall):.3f}"
        )

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(60)


def _export(base: str, folder: Path) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", base], cwd=HERE, check=True, capture_output=True, text=True
    ).stdout.strip()
    archive = subprocess.Popen(["git", "archive", base], cwd=HERE, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True)
    archive.stdout.close()
    if archive.wait():
        raise SystemExit(f"git archive {base} failed")
    # The translations, compiled as in this checkout (*.mo files are not in git): the report in Vietnamese.
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "-l", "vi"], cwd=folder, check=True, capture_output=True
    )
    return commit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--base", default="main", help="the commit or branch to compare with (git archive)")
    parser.add_argument("--period", default="2024")
    parser.add_argument("--district-branches", type=int, default=90)
    parser.add_argument("--warm", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--cpu",
        type=int,
        default=max(os.sched_getaffinity(0)),
        help="the CPU both workers run on (-1: any): they take turns, so neither gets the quieter core",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.database, args.district_branches, args.period, None if args.cpu < 0 else args.cpu)
        return
    sys.path.insert(0, str(HERE))
    from bench import host_speed

    with tempfile.TemporaryDirectory(prefix="pdf_base_") as folder:
        commit = _export(args.base, Path(folder))
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, check=True, capture_output=True, text=True
        ).stdout.strip()
        base = Worker(f"base {commit}", Path(folder), args)
        ours = Worker(f"this {head}", HERE, args)
        try:
            print(
                f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}  {os.cpu_count()} CPUs; base {args.base} ({commit}) against"
                f" this checkout ({head}, {HERE}); warm {args.warm}, rounds {args.rounds}; both on CPU {args.cpu};"
                f" load {_loads()}; {host_speed.line()}",
                flush=True,
            )
            for worker_ in (base, ours):
                for _ in range(args.warm):
                    worker_.ask("render")
            for worker_ in (base, ours):
                print(f"{worker_.name}: shortcuts {', '.join(worker_.ask('shortcuts')['shortcuts'])}")
            before = _loads()
            for round_ in range(args.rounds):
                pair = (base, ours) if round_ % 2 == 0 else (ours, base)
                for worker_ in pair:
                    worker_.render()
            after = _loads()
            print(f"load {before} → {after}; {host_speed.line()}")
            for worker_ in (base, ours):
                print(worker_.summary())
            change = statistics.median(ours.cpu) / statistics.median(base.cpu) - 1
            print(f"CPU p50 this / base: {change:+.1%}")
            files = [Path(folder) / f"{name}.pdf" for name in ("base", "this")]
            answers = [worker_.ask(f"pinned {file}") for worker_, file in zip((base, ours), files, strict=True)]
            same = files[0].read_bytes() == files[1].read_bytes()
            print(
                f"timestamps pinned: {'same bytes' if same else 'DIFFERENT FILES'}"
                f" ({answers[0]['size']:,} / {answers[1]['size']:,} bytes, sha256 {answers[1]['sha256'][:16]}…)"
            )
        finally:
            base.close()
            ours.close()


if __name__ == "__main__":
    main()
