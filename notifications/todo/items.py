"""What the to-do list is made of: one Item per thing to do, in the order the home page shows them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# The kinds of item, in the order of the list.
RETURNED = "returned"  # my report was sent back: correct it (with the reviewer's comment)
DECIDE = "decide"  # bodies below sent their reports: accept or return them
LATE = "late"  # bodies below have not sent theirs and the deadline has passed: "Nhắc"
FILL = "fill"  # a period whose report I send (or whose figures I enter)
WARNINGS = "warnings"  # data-quality warnings of my grid to confirm or correct
IMPORT = "import"  # an Excel import of mine that finished, failed or waits for me
REPORT_FILE = "report_file"  # a report file I asked for: ready or failed
ORDER = (RETURNED, DECIDE, LATE, FILL, WARNINGS, IMPORT, REPORT_FILE)
HEADINGS = {
    RETURNED: _("Reports returned to you"),
    DECIDE: _("Reports waiting for your decision"),
    LATE: _("Bodies below that are late"),
    FILL: _("Periods to report"),
    WARNINGS: _("Data-quality warnings to confirm"),
    IMPORT: _("Your Excel imports"),
    REPORT_FILE: _("Your report files"),
}


@dataclass(frozen=True)
class LateBody:
    organization: Any  # organizations.Organization
    reminded_at: datetime.datetime | None = None  # today's reminder, if one was sent


@dataclass(frozen=True)
class Item:
    """One thing to do: what it says, where it is done (`url`), and what the page shows beside it."""

    kind: str
    title: str
    url: str
    tone: str = "secondary"  # Bootstrap colour of its mark: danger (late, failed), warning, primary, success
    organization: Any = None
    period: Any = None  # indicators.ReportingPeriod, maybe unsaved
    due: datetime.date | None = None
    days_left: int | None = None  # negative: days overdue
    details: tuple[str, ...] = ()  # progress ("61/87 CĐCS đã nhập"), a count, a file name
    comment: str = ""  # the reviewer's comment on a returned report
    comment_by: str = ""
    comment_at: datetime.datetime | None = None
    bodies: tuple[LateBody, ...] = ()  # LATE: the late bodies, each with its "Nhắc"
    more: int = 0  # LATE: late bodies not listed (the review page lists them all)
    sort: tuple = field(default=(), compare=False)

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left if self.overdue else 0


@dataclass(frozen=True)
class Todo:
    items: tuple[Item, ...] = ()

    @property
    def count(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def groups(self) -> list[tuple[str, str, list[Item]]]:
        """(kind, heading, items) in ORDER; kinds without items are left out."""
        groups = [(kind, str(HEADINGS[kind]), [i for i in self.items if i.kind == kind]) for kind in ORDER]
        return [group for group in groups if group[2]]
