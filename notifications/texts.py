"""What a notification says: its title and its text, for each kind of event.

Written once, when the notification is stored, in Vietnamese (the portal's language and that
of its emails); names of bodies and files only, never personal data.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from unionportal.templatetags.vn import person_name

from . import events
from .events import Event

TITLES = {
    events.SUBMITTED: lambda: _("%(body)s submitted its report for %(period)s"),
    events.RETURNED: lambda: _("The report of %(body)s for %(period)s was returned"),
    events.ACCEPTED: lambda: _("The report of %(body)s for %(period)s was accepted"),
    events.DEADLINE_7: lambda: _("The report of %(body)s for %(period)s is due in 7 days"),
    events.DEADLINE_1: lambda: _("The report of %(body)s for %(period)s is due tomorrow"),
    events.OVERDUE: lambda: _("The report of %(body)s for %(period)s is overdue"),
    events.REMINDED: lambda: _("Reminder: send the report of %(body)s for %(period)s"),
    events.IMPORT_DONE: lambda: _("Your file %(name)s was imported"),
    events.IMPORT_FAILED: lambda: _("Your file %(name)s was not imported"),
    events.REPORT_DONE: lambda: _("Your report file %(name)s is ready"),
    events.REPORT_FAILED: lambda: _("Your report file %(name)s could not be made"),
}

LEADS = {
    events.SUBMITTED: lambda: _("Open the review page to accept the figures or return them with a comment."),
    events.RETURNED: lambda: _("Correct the figures and submit them again."),
    events.ACCEPTED: lambda: _("The figures are locked and the reports are frozen."),
    events.DEADLINE_7: lambda: _("The deadline is %(deadline)s. Enter the figures and submit them before then."),
    events.DEADLINE_1: lambda: _("The deadline is %(deadline)s. Submit the figures today if you can."),
    events.OVERDUE: lambda: _("The deadline was %(deadline)s. Submit the figures as soon as possible."),
    events.REMINDED: lambda: _("The body above asks you to submit the figures (deadline %(deadline)s)."),
    events.IMPORT_DONE: lambda: _("The rows are written; open the job to see what changed."),
    events.IMPORT_FAILED: lambda: _("Nothing was written. Open the job to see why, correct the file and try again."),
    events.REPORT_DONE: lambda: _("Open the report page to download it."),
    events.REPORT_FAILED: lambda: _("Open the report page and ask for the file again."),
}


def describe(event: Event) -> tuple[str, str]:
    """(title, text) of the event, in Vietnamese."""
    with override("vi"):
        period = event.period
        values = {
            "body": event.organization.display_name if event.organization is not None else "",
            "period": period.label if period is not None else "",
            "deadline": formats.date_format(period.deadline, "d/m/Y") if period is not None else "",
            "name": event.extra.get("name", ""),
        }
        title = TITLES[event.kind]() % values
        lines = [LEADS[event.kind]() % values]
        if event.comment:
            lines.append(_("Comment: %(comment)s") % {"comment": event.comment})
        if event.actor is not None:
            lines.append(_("By: %(name)s") % {"name": person_name(event.actor)})
        return title[:255], "\n".join(lines)
