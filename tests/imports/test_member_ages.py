"""The age checks of a members file at their very edges: a birthday, 29 February, fifteen, a hundred years."""

from __future__ import annotations

import calendar
import datetime
import itertools

from members.importers.checks import check_rows
from members.importers.columns import MAXIMUM_AGE, MINIMUM_AGE, age
from unionportal.spreadsheets.spec import ParsedRow

D = datetime.date
EDGES = [D(2000, 2, 29), D(2001, 2, 28), D(2001, 3, 1), D(2004, 2, 29), D(2024, 2, 29), D(2026, 12, 7), D(2026, 1, 1)]


def latest_birth(on: datetime.date, years: int) -> datetime.date:
    """The latest date of birth of someone `years` old on `on` (born on 29 February: counted from the 28th)."""
    if on.month == 2 and on.day == 29 and not calendar.isleap(on.year - years):
        return D(on.year - years, 2, 28)
    return on.replace(year=on.year - years)


def test_the_edges_used_below_are_the_birthdays_age_counts():
    for on, years in itertools.product(EDGES, (1, 4, MINIMUM_AGE, MAXIMUM_AGE + 1)):
        limit = latest_birth(on, years)
        assert age(limit, on) == years and age(limit + datetime.timedelta(days=1), on) == years - 1


def _checked(born: datetime.date, joined: datetime.date, today: datetime.date) -> set[str]:
    codes: set[str] = set()

    def refuse(item, key, code, message, value):
        codes.add(code)

    row = ParsedRow(2, ["DV1", "Tên", "Nữ", born, "Kinh", "XP-A-01", joined, "member", None], True)
    check_rows([row], today=today, refuse=refuse)
    return codes


def test_fifteen_on_the_join_day_is_old_enough_a_day_less_is_not():
    for joined in (D(2020, 6, 15), D(2020, 2, 29), D(2021, 3, 1)):
        fifteenth = latest_birth(joined, MINIMUM_AGE)
        assert _checked(fifteenth, joined, D(2026, 12, 7)) == set()
        assert _checked(fifteenth + datetime.timedelta(days=1), joined, D(2026, 12, 7)) == {"too_young"}


def test_a_hundred_today_is_plausible_a_hundred_and_one_is_not():
    for today in (D(2026, 12, 7), D(2028, 2, 29)):
        hundred_and_one = latest_birth(today, MAXIMUM_AGE + 1)
        joined = D(1950, 1, 1)
        assert _checked(hundred_and_one + datetime.timedelta(days=1), joined, today) == set()
        assert _checked(hundred_and_one, joined, today) == {"too_old"}


def test_the_checks_agree_with_age_over_many_dates():
    today = D(2026, 12, 7)
    births = [D(1925, 12, 7), D(1925, 12, 8), D(1990, 2, 28), D(1992, 2, 29), D(2005, 3, 1), D(2011, 12, 8)]
    joins = [D(1940, 1, 1), D(2005, 2, 28), D(2007, 2, 28), D(2007, 3, 1), D(2020, 2, 29), D(2026, 12, 7)]
    for born, joined in itertools.product(births, joins):
        expected = set()
        if age(born, today) > MAXIMUM_AGE:
            expected.add("too_old")
        if born >= joined:
            expected.add("born_after_joining")
        elif age(born, joined) < MINIMUM_AGE:
            expected.add("too_young")
        assert _checked(born, joined, today) == expected, (born, joined)
