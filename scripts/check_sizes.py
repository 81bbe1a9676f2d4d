"""The size rule: no function of an app over 80 lines, no module of an app over 500 lines.

    python scripts/check_sizes.py            # report
    python scripts/check_sizes.py --check    # exit 1 when anything is over (CI, `make lint`)

A function's length runs from its `def` line to its last line (decorators not counted),
measured on the AST. Migrations, tests, bench and .venv are left out; the demo data tables
(plain lists of names and figures) are exempt from the module limit. Every directory with
an `apps.py` is an app, so a new app is covered without editing this file.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"migrations", "tests", "bench", ".venv", "node_modules"}
MAX_FUNCTION = 80
MAX_MODULE = 500

# Demo data tables: literal data, not code; exempt from the module limit only.
DATA_TABLES = ("*/demo/data.py", "demo/data.py", "demo/data/*.py", "demo/*/data.py")

# Units over the limits that work in progress owns, reported rather than failing while it lands
# (empty: nothing is over). An entry that is no longer over fails the check, so the list cannot go stale.
PENDING_ELSEWHERE: set[str] = set()


def apps(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "apps.py").exists() and p.name not in SKIP)


def modules(root: Path) -> Iterator[Path]:
    for app in apps(root):
        for path in sorted(app.rglob("*.py")):
            if not SKIP & set(path.relative_to(root).parts):
                yield path


def functions(tree: ast.AST) -> Iterator[tuple[str, int, int]]:
    """(qualified name, first line, last line) of every function, nested ones included."""
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                yield name, child.lineno, child.end_lineno or child.lineno
                stack.append((child, name + "."))
            elif isinstance(child, ast.ClassDef):
                stack.append((child, f"{prefix}{child.name}."))
            else:
                stack.append((child, prefix))


def measure(root: Path, max_function: int, max_module: int) -> tuple[list, list]:
    long_functions, long_modules = [], []
    for path in modules(root):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        lines = len(text.splitlines())
        if lines > max_module and not any(fnmatch.fnmatch(rel, pattern) for pattern in DATA_TABLES):
            long_modules.append((lines, rel, rel, ""))
        for name, start, end in functions(ast.parse(text)):
            if end - start + 1 > max_function:
                long_functions.append((end - start + 1, f"{rel}:{start}-{end}", f"{rel}:{name}", name))
    return sorted(long_functions, reverse=True), sorted(long_modules, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--max-function", type=int, default=MAX_FUNCTION)
    parser.add_argument("--max-module", type=int, default=MAX_MODULE)
    parser.add_argument("--check", action="store_true", help="exit 1 when a unit is over the limits")
    options = parser.parse_args()
    long_functions, long_modules = measure(options.root, options.max_function, options.max_module)
    failing = 0
    for title, found in (
        (f"Functions over {options.max_function} lines", long_functions),
        (f"Modules over {options.max_module} lines", long_modules),
    ):
        over = [row for row in found if row[2] not in PENDING_ELSEWHERE]
        pending = [row for row in found if row[2] in PENDING_ELSEWHERE]
        failing += len(over)
        print(f"{title}: {len(over)}")
        for size, where, _key, name in over:
            print(f"- {size:4d}  {where}  {name}".rstrip())
        for size, where, _key, name in pending:
            print(f"  {size:4d}  {where}  {name}  (pending elsewhere)".replace("   (", " ("))
    seen = {row[2] for row in long_functions + long_modules}
    stale = sorted(PENDING_ELSEWHERE - seen)
    for key in stale:
        print(f"No longer over the limits, remove it from PENDING_ELSEWHERE: {key}")
    return 1 if options.check and (failing or stale) else 0


if __name__ == "__main__":
    sys.exit(main())
