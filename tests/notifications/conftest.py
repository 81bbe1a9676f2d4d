"""The to-do list's world: the standard cast, on a day after the first half of 2026 was due."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from indicators.models import ReportingPeriod
from tests import builders, factories

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# 01/08/2026: the first half of 2026 was due on 15/07 (17 days late); the year 2026 is due
# on 15/01/2027, too far ahead for the list; 2025 was due more than half a year ago.
TODAY = datetime.date(2026, 8, 1)
NOW = datetime.datetime(2026, 8, 1, 9, 30, tzinfo=VN)


@pytest.fixture
def today(db):
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def half(today) -> ReportingPeriod:
    return builders.period("2026-H1")


@pytest.fixture
def figure(db):
    return builders.element("members_total")


def entered(branch, period, element, value=10):
    return builders.report(element, branch, period, value)


def more_branches(district, n: int, prefix: str):
    return [factories.make_branch(district, code=f"{prefix}-{i:03d}", name=f"CĐCS {prefix} {i}") for i in range(n)]
