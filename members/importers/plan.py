"""What committing a checked members file will do: members to create, members to change.

planner.py makes the plan; writers.py writes it. What a change writes to the member's
history is members.history's to say: a MemberChange carries its Delta.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from ..history import Delta

# SQLite allows 32,766 parameters per statement: lookups go by chunks well below that.
CHUNK = 5_000


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A recorded member, matched to a row of the file by the card number: a plain tuple of
# CURRENT_FIELDS, read with the indexes below. (Named tuples would be one more object for
# each of 100,000 members: a quarter of a second of garbage collection on a large file.)
Current = tuple
CURRENT_FIELDS = (
    "pk",
    "card_number",
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "joined_on",
    "status",
    "branch_id",
    "role",
    "last_trained_on",
)
PK, CARD, NAME, GENDER, BORN, ETHNICITY, JOINED, STATUS, BRANCH, ROLE, TRAINED = range(len(CURRENT_FIELDS))


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
    """The member's row as the file leaves it, and what that writes to their history."""

    member_id: int
    full_name: str
    gender: str
    date_of_birth: datetime.date | None
    ethnicity: str
    joined_on: datetime.date
    branch_id: int
    role: str
    last_trained_on: datetime.date | None
    history: Delta  # members.history.on_change: the transfer, the role, the training, the first period


@dataclass
class MemberPlan:
    creates: list[NewMember] = field(default_factory=list)
    changes: list[MemberChange] = field(default_factory=list)
    unchanged: int = 0
    today: datetime.date = field(default_factory=timezone.localdate)
    diffs: list = field(default_factory=list)  # spec.Diff: what the changes change, field by field
    # The branches whose members the commit writes (a transfer's both ends): what the figures' refresh covers.
    touched: set[int] = field(default_factory=set)
