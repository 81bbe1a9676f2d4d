"""Selectors and lookups read: no write, no queued work, in any of them.

    python scripts/check_reads.py            # report
    python scripts/check_reads.py --check    # exit 1 when one writes (CI, `make lint`)

import-linter can say that a selector never imports a service; it cannot say that a selector
never calls `.save()`. This reads every `selectors.py`, `selectors/*.py` and `lookups.py` of
the apps on the AST and lists each call that writes to the database or queues work: the
ORM's writing methods, `transaction.on_commit`, a hook's `run_on_commit`, the job runner.
`.update(` is counted on anything but a dict literal or a name ending in `dict`/`data`, so a
queryset update cannot hide behind the word; a true dict update there reads better as `|=`.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"migrations", "tests", "bench", ".venv", "node_modules"}
WRITES = {
    "save",
    "delete",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "update",
    "on_commit",
    "run_on_commit",
    "run_in_background",
    "set_progress",
    "full_clean",
}


def read_modules(root: Path) -> Iterator[Path]:
    for app in sorted(p for p in root.iterdir() if p.is_dir() and (p / "apps.py").exists()):
        for path in sorted(app.rglob("*.py")):
            parts = set(path.relative_to(root).parts)
            if SKIP & parts:
                continue
            if path.name in ("selectors.py", "lookups.py") or path.parent.name == "selectors":
                yield path


def writes(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            yield node.lineno, ast.unparse(node.func)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    root = options.root
    found = [(path, line, call) for path in read_modules(root) for line, call in writes(path)]
    print(f"Writes in selectors and lookups: {len(found)}")
    for path, line, call in found:
        print(f"- {path.relative_to(root)}:{line}  {call}(…)")
    return 1 if options.check and found else 0


if __name__ == "__main__":
    sys.exit(main())
