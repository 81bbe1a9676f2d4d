"""The checks of each row on its own: card numbers once per file, plausible dates in order.

Each check reports through `refuse(item, key, code, message, value)`, which records the
error on the row's cell and marks the row as not to be written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from unionportal.spreadsheets.spec import ParsedRow

from .columns import CONFEDERATION_FOUNDED, MAXIMUM_AGE, MINIMUM_AGE, age, day

Refuse = Callable[[ParsedRow, str, str, str, Any], None]


def check_rows(parsed: list[ParsedRow], *, today: datetime.date, refuse: Refuse) -> list[str]:
    """Check every row on its own; the card numbers of the file, each once, in file order."""
    seen: dict[str, int] = {}
    for item in parsed:
        card, _name, _gender, born, _ethnicity, _branch, joined, _role, trained = item.values
        if card:
            _check_card_once(item, card, seen, refuse)
        if born is not None:
            _check_birth(item, born, today, refuse)
        if joined is not None:
            _check_joining(item, joined, born, today, refuse)
        if trained is not None:
            _check_training(item, trained, joined, today, refuse)
    return list(seen)


def _check_card_once(item: ParsedRow, card: str, seen: dict[str, int], refuse: Refuse) -> None:
    first = seen.setdefault(card, item.row)
    if first != item.row:
        refuse(
            item,
            "card_number",
            "duplicate",
            _(
                "The card number %(card)s is also on row %(first)s. Each member takes one row: remove or correct the duplicate."
            )
            % {"card": card, "first": first},
            card,
        )


def _check_birth(item: ParsedRow, born: datetime.date, today: datetime.date, refuse: Refuse) -> None:
    if born > today:
        refuse(
            item,
            "date_of_birth",
            "birth_future",
            _("The date of birth %(date)s is in the future. Check the year.") % {"date": day(born)},
            born,
        )
    elif age(born, today) > MAXIMUM_AGE:
        refuse(
            item,
            "date_of_birth",
            "too_old",
            _("With a date of birth of %(date)s the member would be %(age)s years old. Check the year.")
            % {"date": day(born), "age": age(born, today)},
            born,
        )


def _check_joining(
    item: ParsedRow, joined: datetime.date, born: datetime.date | None, today: datetime.date, refuse: Refuse
) -> None:
    if joined > today:
        refuse(
            item,
            "joined_on",
            "date_future",
            _("The join date %(date)s is in the future. Put the date the member actually joined.")
            % {"date": day(joined)},
            joined,
        )
    elif joined < CONFEDERATION_FOUNDED:
        refuse(
            item,
            "joined_on",
            "date_too_early",
            _("The join date %(date)s is before the union existed (28/07/1929). Check the year.")
            % {"date": day(joined)},
            joined,
        )
    elif born is not None and born <= today:
        _check_age_on_joining(item, born, joined, refuse)


def _check_age_on_joining(item: ParsedRow, born: datetime.date, joined: datetime.date, refuse: Refuse) -> None:
    if born >= joined:
        refuse(
            item,
            "date_of_birth",
            "born_after_joining",
            _("The date of birth %(born)s is not before the join date %(joined)s. Check both dates.")
            % {"born": day(born), "joined": day(joined)},
            born,
        )
    elif age(born, joined) < MINIMUM_AGE:
        refuse(
            item,
            "date_of_birth",
            "too_young",
            _(
                "On %(joined)s the member was %(age)s years old; members are at least %(minimum)s. Check the date of birth and the join date."
            )
            % {"joined": day(joined), "age": age(born, joined), "minimum": MINIMUM_AGE},
            born,
        )


def _check_training(
    item: ParsedRow, trained: datetime.date, joined: datetime.date | None, today: datetime.date, refuse: Refuse
) -> None:
    if trained > today:
        refuse(
            item,
            "trained_on",
            "date_future",
            _("The training date %(date)s is in the future. Put the date of a training that took place.")
            % {"date": day(trained)},
            trained,
        )
    elif joined is not None and trained < joined:
        refuse(
            item,
            "trained_on",
            "trained_before_joining",
            _("The training date %(date)s is before the join date %(joined)s. Check both dates.")
            % {"date": day(trained), "joined": day(joined)},
            trained,
        )
