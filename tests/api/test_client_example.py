"""The Python client of docs/api.md, run as it is written against a live server, with a real token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from audit.models import AuditEvent
from indicators.models import Submission, SubmissionStatus
from members.models import Member, MembershipPeriod

from .conftest import make_token

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert len(blocks) == 1, "docs/api.md holds one Python example"
    return blocks[0]


@pytest.mark.django_db(transaction=True)
def test_the_client_example_of_the_docs_runs_against_the_live_server(live_server, cast, tmp_path):
    script = tmp_path / "client.py"
    script.write_text(example())
    env = {
        **os.environ,
        "UNIONPORTAL_URL": live_server.url,
        "UNIONPORTAL_TOKEN": make_token(cast.owner, name="ví dụ docs/api.md"),
        "UNIONPORTAL_BRANCH": cast.branch.code,
        "UNIONPORTAL_DISTRICT": cast.district.code,
        "UNIONPORTAL_REVIEWER_TOKEN": make_token(cast.provincial, name="tỉnh duyệt"),
    }
    run = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "tổ chức: XP-A, XP-A-01" in run.stdout
    assert "thêm 2 cập nhật 0" in run.stdout and "dân tộc: Tày" in run.stdout
    hoa = Member.objects.get(card_number="API0001")
    assert hoa.ethnicity == "Tày" and hoa.branch == cast.branch
    assert MembershipPeriod.objects.filter(member__card_number="API0002", end_on=None).count() == 1
    assert "báo cáo: submit → accept accepted" in run.stdout
    submission = Submission.objects.get(organization=cast.district, period__code="2025")
    assert submission.status == SubmissionStatus.ACCEPTED
    assert [(e.action, e.by, e.comment) for e in submission.events.all()] == [
        ("submit", cast.owner, "Đã rà soát"),
        ("accept", cast.provincial, ""),
    ]
    moves = AuditEvent.objects.filter(table_name="indicators_submission", action="update").order_by("pk")
    assert [m.context for m in moves] == ["api:ví dụ docs/api.md", "api:tỉnh duyệt"]
