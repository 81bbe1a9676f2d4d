"""Demo members for every base union of the demo hierarchy (demo/organizations.py), with their history.

What they are is planned in demo/member_plans.py. Idempotent: card numbers are part of the
plan, and a member whose card number exists is not created again (nor their history).
Fast: members and their history are written with bulk_create, not through the services,
which the plan satisfies by construction.
"""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members.models import Member, MemberRole, MembershipPeriod, Training
from organizations.models import Organization

from .member_plans import plan

BATCH = 1000


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


@transaction.atomic
def load(*, password: str = "", stdout: TextIO | None = None) -> None:
    """Create the demo members that do not exist yet (by card number), with their history."""
    planned = plan()
    existing = set(Member.objects.values_list("card_number", flat=True))
    new = [m for m in planned if m.card_number not in existing]
    if new:
        taken_ids = set(Member.objects.filter(citizen_id__isnull=False).values_list("citizen_id", flat=True))
        codes = {code for m in new for code, *_rest in m.periods}
        branches = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        rows = [
            Member(
                card_number=m.card_number,
                full_name=m.full_name,
                gender=m.gender,
                date_of_birth=m.date_of_birth,
                ethnicity=m.ethnicity,
                citizen_id=m.citizen_id if m.citizen_id not in taken_ids else None,
                card_issued_on=m.card_issued_on,
                joined_on=m.joined_on,
                status=m.status,
                status_changed_on=m.status_changed_on,
                status_reason=m.status_reason,
                branch=branches[m.periods[-1][0]],
                role=m.role,
                last_trained_on=max((day for _course, day, _org in m.trainings), default=None),
            )
            for m in new
        ]
        Member.objects.bulk_create(rows, batch_size=BATCH)
        if any(row.pk is None for row in rows):  # a database that returns no ids from a bulk insert
            ids = dict(
                Member.objects.filter(card_number__in=[m.card_number for m in new]).values_list("card_number", "pk")
            )
            for row in rows:
                row.pk = ids[row.card_number]
        MembershipPeriod.objects.bulk_create(
            [
                MembershipPeriod(member=row, branch=branches[code], start_on=start, end_on=end, note=note)
                for m, row in zip(new, rows, strict=True)
                for code, start, end, note in m.periods
            ],
            batch_size=BATCH,
        )
        MemberRole.objects.bulk_create(
            [
                MemberRole(member=row, branch=row.branch, role=role, start_on=start, end_on=end)
                for m, row in zip(new, rows, strict=True)
                for role, start, end in m.roles
            ],
            batch_size=BATCH,
        )
        Training.objects.bulk_create(
            [
                Training(member=row, course=course, trained_on=day, organizer=organizer)
                for m, row in zip(new, rows, strict=True)
                for course, day, organizer in m.trainings
            ],
            batch_size=BATCH,
        )
    _say(
        stdout,
        _("Members: %(total)s, %(created)s of them new.")
        % {
            "total": number_format(len(planned), force_grouping=True),
            "created": number_format(len(new), force_grouping=True),
        },
    )
