"""What happened, said once, for every channel: the events the portal tells people about.

An event is published by the service that makes it happen (a submission, a reminder, the
deadline sweep) or by a receiver of a lower app's hook; `publish` hands it to every channel
once the transaction commits (a stored notification with its email, an organization's
webhook), so that nothing is sent for an action that rolled back and nothing is sent inside a
user's request: each channel queues its own delivery on the job runner.

    publish(Event(kind=SUBMITTED, organization=district, period=period, actor=user,
                  path=reverse("indicators:review", ...), comment=""))
    # notifications/apps.py
    published.register(channels.store_and_email)
    published.register(webhooks.deliver)

Who hears of an event is the audience of its kind (KINDS below): the reviewers above the body,
the staff of the body itself, or the one user the event is about (an import, a report file).
A channel never tells anyone about a body outside their scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from unionportal.hooks import declare

# The audiences of an event.
REVIEWERS_ABOVE = "reviewers_above"  # the users who may decide on the body's submission
BODY_STAFF = "body_staff"  # the users who enter and submit the body's figures
THE_USER = "the_user"  # Event.user: whose import or report file it is

SUBMITTED = "submitted"
RETURNED = "returned"
ACCEPTED = "accepted"
DEADLINE_7 = "deadline_7"
DEADLINE_1 = "deadline_1"
OVERDUE = "overdue"
REMINDED = "reminded"
IMPORT_DONE = "import_done"
IMPORT_FAILED = "import_failed"
REPORT_DONE = "report_done"
REPORT_FAILED = "report_failed"


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # lazy Vietnamese text, e.g. "Báo cáo bị trả lại"
    audience: str


# Every kind of event, in the order the settings page lists them.
KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(SUBMITTED, _("A report was submitted for my decision"), REVIEWERS_ABOVE),
        Kind(RETURNED, _("My report was returned"), BODY_STAFF),
        Kind(ACCEPTED, _("My report was accepted"), BODY_STAFF),
        Kind(DEADLINE_7, _("A reporting deadline is 7 days away"), BODY_STAFF),
        Kind(DEADLINE_1, _("A reporting deadline is tomorrow"), BODY_STAFF),
        Kind(OVERDUE, _("A report is overdue"), BODY_STAFF),
        Kind(REMINDED, _("The body above sent a reminder"), BODY_STAFF),
        Kind(IMPORT_DONE, _("My import finished"), THE_USER),
        Kind(IMPORT_FAILED, _("My import failed"), THE_USER),
        Kind(REPORT_DONE, _("My report file is ready"), THE_USER),
        Kind(REPORT_FAILED, _("My report file failed"), THE_USER),
    )
}


@dataclass(frozen=True)
class Event:
    """One thing that happened. `path`: the page where it is handled (no host: each channel adds it)."""

    kind: str
    organization: Any  # organizations.Organization: the body the event is about
    path: str
    period: Any = None  # indicators.ReportingPeriod, when the event is about a period's report
    actor: Any = None  # the user who did it (None: the portal itself, e.g. the deadline sweep)
    user: Any = None  # for THE_USER events: whose import or file it is
    comment: str = ""  # a return's comment, a reminder's message
    extra: dict[str, Any] = field(default_factory=dict)  # names only, never personal data

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown event kind {self.kind!r}")

    @property
    def audience(self) -> str:
        return KINDS[self.kind].audience


# run_on_commit(event=Event): every channel receives every event once the transaction commits.
published = declare("notifications.published")


def publish(event: Event) -> None:
    """Hand the event to every channel once the caller's transaction commits (never if it rolls back)."""
    published.run_on_commit(event=event)
