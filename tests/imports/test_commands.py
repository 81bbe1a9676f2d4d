"""import_data and export_data: the same importer from the command line."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.core.management.base import BaseCommand

from members.models import Member

from .files import snapshot

D = datetime.date


def rows():
    return [
        ["DV001", "Nguyễn Thị Thanh Hương", "Nữ", D(1985, 11, 20), "Kinh", "XP-A-01", D(2010, 1, 5), "Chủ tịch", None],
        ["DV002", "Trần Văn Nam", "Nam", None, None, "XP-A-01", "15/08/2015", None, None],
    ]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_data_prints_the_counts_and_imports(cast, xlsx):
    path = xlsx("members", rows())
    output = run("import_data", "members", str(path), "--user", "owner")
    assert re.findall(r"\d+", output) == ["2", "0", "0"]  # created, updated, unchanged
    assert Member.objects.count() == 2
    again = run("import_data", "members", str(path), "--user", "owner")
    assert re.findall(r"\d+", again) == ["0", "0", "2"]
    assert Member.objects.count() == 2


def test_a_dry_run_writes_nothing(cast, xlsx):
    before = snapshot()
    output = run("import_data", "members", str(xlsx("members", rows())), "--dry-run", "--user", "owner")
    assert re.findall(r"\d+", output) == ["2", "0", "0"]
    assert snapshot() == before


def test_errors_are_printed_and_the_command_exits_non_zero(cast, xlsx, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, the test's own transaction with them.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    bad = rows()
    bad[1][3] = "31/02/1990"
    path = xlsx("members", bad)
    before = snapshot()
    command = load_command_class("imports", "import_data")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "import_data", "members", str(path), "--user", "owner"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "31/02/1990" in err and "D" in err
    assert snapshot() == before


def test_import_data_needs_a_user_who_may_import(cast, xlsx):
    path = str(xlsx("members", rows()))
    with pytest.raises(CommandError):
        run("import_data", "members", path)
    with pytest.raises(CommandError):
        run("import_data", "members", path, "--user", "colleague")
    with pytest.raises(CommandError):
        run("import_data", "members", path, "--user", "nobody")


def test_rows_outside_the_users_subtree_fail_the_command(cast, xlsx):
    with pytest.raises(CommandError):
        run("import_data", "members", str(xlsx("members", rows())), "--user", "outsider")
    assert not Member.objects.exists()


def test_export_data_writes_a_file_that_imports_back_unchanged(cast, xlsx, tmp_path):
    run("import_data", "members", str(xlsx("members", rows())), "--user", "owner")
    target = tmp_path / "out.xlsx"
    output = run("export_data", "members", "--organization", "XP-A", "--output", str(target))
    assert "2" in output and target.exists()
    before = snapshot()
    run("import_data", "members", str(target), "--user", "owner")
    assert snapshot() == before


def test_export_data_refuses_an_unknown_organization_or_one_the_user_does_not_see(cast, tmp_path):
    with pytest.raises(CommandError):
        run("export_data", "members", "--organization", "NOPE", "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError):
        run(
            "export_data",
            "members",
            "--organization",
            "XP-A",
            "--output",
            str(tmp_path / "x.xlsx"),
            "--user",
            "outsider",
        )


def test_the_commands_are_django_commands():
    assert issubclass(type(load_command_class("imports", "export_data")), BaseCommand)
