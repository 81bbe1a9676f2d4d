"""Personal data as people without the right to edit members see it (Decree 13/2023/NĐ-CP).

The member pages and the API mask the same way, with these two functions.
"""

from __future__ import annotations


def masked(citizen_id: str | None) -> str:
    """A citizen ID as people without the right to edit members see it: ••••1234."""
    if not citizen_id:
        return ""
    return "••••" + citizen_id[-4:]


def masked_birth_date(day) -> str:
    """A date of birth without the day and month, for the same people: ••/••/1990."""
    return f"••/••/{day.year}" if day else ""
