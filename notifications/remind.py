"""“Nhắc”: the body above reminds a body below that has not sent its report on time.

    reminder, sent = remind(user=officer, organization=district, period=period)

Only a user who may review the body (the right from an assignment strictly above it, as for
accepting or returning its figures) reminds it, and only while it is late: the deadline has
passed and it has neither submitted nor been let off. One reminder per body, period and day:
pressing again the same day returns the first one, unsent (`sent` False). The row is recorded
by the audit trail; the event REMINDED goes to the body's staff through every channel once the
transaction commits.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import ReportingPeriod, Submission, Waiver
from indicators.models.submission import LOCKED_STATUSES
from indicators.periods import period_open
from organizations.models import Level, Organization
from organizations.permissions import Action, scope_for

from .events import REMINDED, Event, publish
from .models import Reminder


def check_late(organization: Organization, period: ReportingPeriod, *, today: datetime.date) -> None:
    """ValidationError unless the body reports on its own, and the period is past due with nothing sent."""
    if organization.level.rank >= Level.objects.only("rank").get(code=Level.BASE).rank or not organization.is_active:
        raise ValidationError(_("%(name)s does not send reports of its own.") % {"name": organization.display_name})
    if today <= period.deadline:
        raise ValidationError(
            _("The deadline of %(period)s is %(deadline)s: %(name)s is not late yet.")
            % {
                "period": period.label.lower(),
                "deadline": period.deadline.strftime("%d/%m/%Y"),
                "name": organization.display_name,
            }
        )
    if not period.pk:
        return  # nobody has written in the period yet: nothing was sent, nobody was let off
    if Submission.objects.filter(organization=organization, period=period, status__in=LOCKED_STATUSES).exists():
        raise ValidationError(_("%(name)s has already sent this report.") % {"name": organization.display_name})
    if Waiver.objects.filter(organization=organization, period=period).exists():
        raise ValidationError(_("%(name)s has been let off this period.") % {"name": organization.display_name})


def remind(*, user, organization: Organization, period: ReportingPeriod) -> tuple[Reminder, bool]:
    """Remind a late body below the user of its report: (the day's reminder, whether this call sent it)."""
    if not scope_for(user).can(Action.REVIEW, organization, strict=True):
        raise PermissionDenied(_("Only a body above %(name)s may remind it.") % {"name": organization.display_name})
    today = timezone.localdate()
    check_late(organization, period, today=today)
    with transaction.atomic():
        period = period_open(code=period.code)
        # get_or_create: a second press (even at the same moment, from another tab) finds the first row.
        reminder, created = Reminder.objects.get_or_create(
            organization=organization, period=period, day=today, defaults={"by": user}
        )
        if created:
            publish(
                Event(
                    kind=REMINDED,
                    organization=organization,
                    period=period,
                    actor=user,
                    path=reverse("indicators:grid", args=[period.code, organization.code]),
                    comment=_("The report of %(period)s was due on %(deadline)s.")
                    % {"period": period.label.lower(), "deadline": period.deadline.strftime("%d/%m/%Y")},
                )
            )
    return reminder, created
