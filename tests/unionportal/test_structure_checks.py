"""The two structure checks of CI fail on what they forbid: a long function, a selector that writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args], capture_output=True, text=True, check=False
    )


def an_app(tmp_path: Path, **modules: str) -> Path:
    app = tmp_path / "someapp"
    app.mkdir()
    (app / "apps.py").write_text("")
    for name, text in modules.items():
        (app / f"{name}.py").write_text(text)
    return tmp_path


def test_the_project_passes_both_checks():
    assert run("check_sizes.py", "--check").returncode == 0
    assert run("check_reads.py", "--check").returncode == 0


def test_a_selector_that_saves_fails_the_read_check(tmp_path):
    root = an_app(tmp_path, selectors="def latest(model):\n    row = model.objects.first()\n    row.save()\n")
    done = run("check_reads.py", "--check", "--root", str(root))
    assert done.returncode == 1
    assert "someapp/selectors.py:3  row.save(…)" in done.stdout


def test_a_lookup_that_queues_work_fails_the_read_check(tmp_path):
    root = an_app(tmp_path, lookups="from django.db import transaction\n\ndef get(x):\n    transaction.on_commit(x)\n")
    assert run("check_reads.py", "--check", "--root", str(root)).returncode == 1


def test_a_function_of_81_lines_fails_the_size_check(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(80))
    root = an_app(tmp_path, services=f"def long():\n{body}")
    done = run("check_sizes.py", str(root), "--check")
    assert done.returncode == 1 and "long" in done.stdout
