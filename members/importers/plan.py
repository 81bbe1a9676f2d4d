"""What committing a checked members file will do: members to create, members to change."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

TRAINING_COURSE = "Tập huấn nghiệp vụ công tác công đoàn"
# SQLite allows 32,766 parameters per statement: lookups go by chunks well below that.
CHUNK = 5_000


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class NewMember:
    card_number: str
    full_name: str
    gender: str
    date_of_birth: datetime.date | None
    ethnicity: str
    branch_id: int
    joined_on: datetime.date
    role: str
    trained_on: datetime.date | None
    row: int  # in the file, as Excel numbers it: where to point if the write is refused


@dataclass
class MemberChange:
    member_id: int
    full_name: str
    gender: str
    date_of_birth: datetime.date | None
    ethnicity: str
    joined_on: datetime.date
    branch_id: int
    role: str
    last_trained_on: datetime.date | None
    transfer: bool  # close the open period, open one at branch_id on the import day
    close_role: bool  # close the open MemberRole on the import day
    open_role: bool  # open a MemberRole (role at branch_id) on the import day
    new_training: datetime.date | None  # add a Training on that day
    first_period_id: int | None  # the join date moved: so does the start of this period


@dataclass
class MemberPlan:
    creates: list[NewMember] = field(default_factory=list)
    changes: list[MemberChange] = field(default_factory=list)
    unchanged: int = 0
    today: datetime.date = field(default_factory=timezone.localdate)
