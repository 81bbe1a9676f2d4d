"""Writes to members and their history. Views, admin, imports and commands all call these.

A member's row holds where they are now (Member.branch), their current role
(Member.role) and their latest training (Member.last_trained_on). Only these
functions write those three fields, always together with the history tables
(MembershipPeriod, MemberRole, Training), which are the truth for dates. What each
operation writes to those tables is said once, in members/history.py, which the
members import and the admin import call too.

Periods and roles are half-open, [start_on, end_on): a transfer effective on a day
ends the old period and starts the new one on that same day, so the member counts
in exactly one branch on every day.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import hooks as registry
from organizations.models import Level, Organization
from unionportal.concurrency import check_not_stale

from . import history
from .models import BranchRole, Member, MemberRole, MembershipPeriod, MemberStatus, Training

# What member_update may change: who the member is. Where they belong, their role and
# their trainings change through the dated operations below, which keep the history.
PERSONAL_FIELDS = ("full_name", "gender", "date_of_birth", "ethnicity", "citizen_id", "card_issued_on")

# Card numbers appear in URLs (/members/<card_number>/): letters, digits, dots, hyphens.
CARD_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")

# How a member's time in the union may end (member_mark_left).
EXIT_STATUSES = (MemberStatus.LEFT, MemberStatus.TRANSFERRED)

Errors = dict[str, list[str]]


def _registry_changed(*branches: Organization) -> None:
    """The members' figures of these branches are out of date: the dashboards refresh after the commit."""
    registry.registry_changed.run_on_commit(within=list(branches), changed=[registry.MEMBERS])


def _today() -> datetime.date:
    return timezone.localdate()


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _merge(errors: Errors, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _branch(branch: Organization) -> Organization:
    return Organization.objects.select_related("level").get(pk=branch.pk)


def _check_branch(errors: Errors, branch: Organization, field: str) -> None:
    """Members belong to an active base union (CĐCS), nothing above or below it."""
    if branch.level.code != Level.BASE:
        _add(errors, field, _("%(name)s is not a base union: members belong to a base union.") % {"name": branch.name})
    elif not branch.is_active:
        _add(
            errors,
            field,
            _("%(name)s is no longer active (%(status)s).")
            % {"name": branch.name, "status": branch.get_status_display()},
        )


def _check_personal(
    errors: Errors, *, date_of_birth: datetime.date | None, joined_on: datetime.date, card_issued_on=None
) -> None:
    today = _today()
    if date_of_birth is not None:
        if date_of_birth > today:
            _add(errors, "date_of_birth", _("The date of birth cannot be in the future."))
        elif date_of_birth >= joined_on:
            _add(
                errors,
                "date_of_birth",
                _("The date of birth must be before the joining date (%(date)s).") % {"date": _date(joined_on)},
            )
    if card_issued_on is not None and card_issued_on > today:
        _add(errors, "card_issued_on", _("The card issue date cannot be in the future."))


def _check_effective_date(
    errors: Errors, member: Member, effective_date: datetime.date, *, since: datetime.date | None = None
) -> None:
    """An operation takes effect on or after the member joined (and `since`), and not in the future."""
    if effective_date > _today():
        _add(errors, "effective_date", _("The effective date cannot be in the future."))
    elif effective_date < member.joined_on:
        _add(
            errors,
            "effective_date",
            _("The effective date cannot be before the member joined the union (%(date)s).")
            % {"date": _date(member.joined_on)},
        )
    elif since is not None and effective_date < since:
        _add(
            errors,
            "effective_date",
            _("The effective date cannot be before %(date)s: the member's current branch or role dates from then.")
            % {"date": _date(since)},
        )


def _current_chair(branch: Organization, *, besides: Member | None = None) -> MemberRole | None:
    chairs = MemberRole.objects.open().filter(branch=branch, role=BranchRole.CHAIR).select_related("member")
    if besides is not None:
        chairs = chairs.exclude(member=besides)
    return chairs.first()


def _check_one_chair(errors: Errors, branch: Organization, field: str, *, besides: Member | None = None) -> None:
    """A base union has one chairperson at a time: the current one's role must end first."""
    chair = _current_chair(branch, besides=besides)
    if chair is not None:
        _add(
            errors,
            field,
            _("%(name)s is already the chairperson of %(branch)s: change their role first.")
            % {"name": chair.member.full_name, "branch": branch.name},
        )


def _locked(member: Member) -> Member:
    # Re-read (and lock, where the database can) the member: the instance a view holds may be stale.
    return Member.objects.select_for_update().get(pk=member.pk)


def _open_period(member: Member) -> MembershipPeriod:
    return MembershipPeriod.objects.open().get(member=member)


def _open_role(member: Member) -> MemberRole | None:
    return MemberRole.objects.open().filter(member=member).first()


def _role_of(open_role: MemberRole | None) -> str:
    """The role a member holds by their open role row: none is a plain member."""
    return open_role.role if open_role is not None else BranchRole.MEMBER


def _require_active(member: Member) -> None:
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(
            _("%(name)s is no longer an active member (%(status)s).")
            % {"name": member.full_name, "status": member.get_status_display()}
        )


def _normalize_card_number(errors: Errors, card_number: str) -> str:
    card_number = (card_number or "").strip().upper()
    if card_number and not CARD_NUMBER.match(card_number):
        _add(errors, "card_number", _("A card number has only letters, digits, dots and hyphens."))
    return card_number


@transaction.atomic
def member_create(
    *,
    branch: Organization,
    card_number: str,
    full_name: str,
    gender: str,
    joined_on: datetime.date,
    date_of_birth: datetime.date | None = None,
    ethnicity: str = "Kinh",
    citizen_id: str | None = None,
    card_issued_on: datetime.date | None = None,
    role: str = BranchRole.MEMBER,
    trained_on: datetime.date | None = None,
    training_course: str = "",
    training_organizer: str = "",
    by=None,
) -> Member:
    """Admit a member to `branch` on `joined_on`: the member, their first period, their role and a training."""
    branch = _branch(branch)
    errors: Errors = {}
    _check_branch(errors, branch, "branch")
    card_number = _normalize_card_number(errors, card_number)
    if joined_on > _today():
        _add(errors, "joined_on", _("The joining date cannot be in the future."))
    _check_personal(errors, date_of_birth=date_of_birth, joined_on=joined_on, card_issued_on=card_issued_on)
    if role == BranchRole.CHAIR and not errors.get("branch"):
        _check_one_chair(errors, branch, "role")
    training_course = training_course.strip()
    if trained_on is not None:
        if not training_course:
            _add(errors, "training_course", _("Enter the course the member was trained in."))
        if trained_on > _today():
            _add(errors, "trained_on", _("The training date cannot be in the future."))
        elif trained_on < joined_on:
            _add(errors, "trained_on", _("The training date cannot be before the joining date."))

    member = Member(
        branch=branch,
        card_number=card_number,
        full_name=" ".join(full_name.split()),
        gender=gender,
        date_of_birth=date_of_birth,
        ethnicity=ethnicity.strip(),
        citizen_id=(citizen_id or "").strip() or None,
        card_issued_on=card_issued_on,
        joined_on=joined_on,
        role=role,
        last_trained_on=trained_on,
    )
    try:
        # A date of birth already refused above would only repeat as a bare constraint message.
        member.full_clean(exclude=["date_of_birth"] if "date_of_birth" in errors else None)
    except ValidationError as error:
        _merge(errors, error)
    _raise(errors)
    member.save()
    history.apply(
        [
            history.on_admission(
                member_id=member.pk,
                branch_id=branch.pk,
                joined_on=joined_on,
                role=role,
                trained_on=trained_on,
                course=training_course,
                organizer=training_organizer.strip(),
            )
        ]
    )
    _registry_changed(branch)
    return member


@transaction.atomic
def member_update(*, member: Member, by=None, seen: str | None = None, **changes) -> Member:
    """Correct who the member is (name, gender, birth, ethnicity, citizen ID, card issue date).

    `seen` is the version the form opened on: a save over someone else's newer one is refused.
    """
    unknown = set(changes) - set(PERSONAL_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} through member_update")
    member = _locked(member)
    check_not_stale(member, seen, list(changes))
    if "citizen_id" in changes:
        changes["citizen_id"] = (changes["citizen_id"] or "").strip() or None
    if "full_name" in changes:
        changes["full_name"] = " ".join(changes["full_name"].split())
    if "ethnicity" in changes:
        changes["ethnicity"] = changes["ethnicity"].strip()
    changed = [field for field, value in changes.items() if getattr(member, field) != value]
    if not changed:
        return member
    for field in changed:
        setattr(member, field, changes[field])
    errors: Errors = {}
    _check_personal(
        errors, date_of_birth=member.date_of_birth, joined_on=member.joined_on, card_issued_on=member.card_issued_on
    )
    try:
        member.full_clean(exclude=["date_of_birth"] if "date_of_birth" in errors else None)
    except ValidationError as error:
        _merge(errors, error)
    _raise(errors)
    member.save(update_fields=[*changed, "updated_at"])
    return member


@transaction.atomic
def member_transfer(
    *, member: Member, to_branch: Organization, effective_date: datetime.date, note: str = "", by=None
) -> Member:
    """Move a member to another base union (chuyển sinh hoạt), keeping where they were.

    The period in the old branch ends on `effective_date` and one in the new branch
    starts that day. A role belongs to a branch, so the member's role ends too: they
    arrive as a plain member.
    """
    member = _locked(member)
    _require_active(member)
    to_branch = _branch(to_branch)
    period = _open_period(member)
    role = _open_role(member)
    errors: Errors = {}
    _check_branch(errors, to_branch, "to_branch")
    if to_branch.pk == member.branch_id:
        _add(errors, "to_branch", _("The member already belongs to %(name)s.") % {"name": to_branch.name})
    since = max(period.start_on, role.start_on) if role else period.start_on
    _check_effective_date(errors, member, effective_date, since=since)
    if not errors.get("effective_date") and to_branch.founded_on and effective_date < to_branch.founded_on:
        _add(
            errors,
            "effective_date",
            _("%(name)s was founded on %(date)s, after the effective date.")
            % {"name": to_branch.name, "date": _date(to_branch.founded_on)},
        )
    _raise(errors)

    delta = history.on_transfer(
        member_id=member.pk, old_role=_role_of(role), to_branch_id=to_branch.pk, on=effective_date, note=note.strip()
    )
    history.apply([delta])
    from_branch = member.branch
    member.branch = to_branch
    member.role = delta.role
    member.save(update_fields=["branch", "role", "updated_at"])
    _registry_changed(from_branch, to_branch)
    return member


@transaction.atomic
def member_mark_left(
    *,
    member: Member,
    effective_date: datetime.date,
    reason: str = "",
    by=None,
    status: str = MemberStatus.LEFT,
) -> Member:
    """End a member's time in the union on `effective_date`: their period and role end that day.

    `status` says how: LEFT (left the union) or TRANSFERRED (moved to a union the portal
    does not keep; a move between branches on the portal is member_transfer).
    """
    if status not in EXIT_STATUSES:
        raise ValueError(f"member_mark_left cannot set the status {status!r}")
    member = _locked(member)
    _require_active(member)
    period = _open_period(member)
    role = _open_role(member)
    errors: Errors = {}
    since = max(period.start_on, role.start_on) if role else period.start_on
    _check_effective_date(errors, member, effective_date, since=since)
    _raise(errors)

    delta = history.on_exit(member_id=member.pk, old_role=_role_of(role), on=effective_date)
    history.apply([delta])
    member.status = status
    member.status_changed_on = effective_date
    member.status_reason = reason.strip()
    member.role = delta.role
    member.save(update_fields=["status", "status_changed_on", "status_reason", "role", "updated_at"])
    _registry_changed(member.branch)
    return member


@transaction.atomic
def member_set_role(*, member: Member, role: str, effective_date: datetime.date, by=None) -> Member:
    """Give a member a new role in their branch from `effective_date` (BranchRole.MEMBER ends the current one)."""
    if role not in BranchRole.values:
        raise ValueError(f"Unknown role {role!r}")
    member = _locked(member)
    _require_active(member)
    period = _open_period(member)
    current = _open_role(member)
    errors: Errors = {}
    if member.role == role:
        _add(errors, "role", _("The member already holds this role."))
    since = max(period.start_on, current.start_on) if current else period.start_on
    _check_effective_date(errors, member, effective_date, since=since)
    if role == BranchRole.CHAIR:
        _check_one_chair(errors, period.branch, "role", besides=member)
    _raise(errors)

    delta = history.on_role(
        member_id=member.pk, branch_id=period.branch_id, old_role=_role_of(current), role=role, on=effective_date
    )
    history.apply([delta])
    member.role = delta.role
    member.save(update_fields=["role", "updated_at"])
    _registry_changed(member.branch)
    return member


@transaction.atomic
def trainings_record(
    *, members: Iterable[Member], course: str, trained_on: datetime.date, organizer: str = "", by=None
) -> list[Training]:
    """Record that several members attended one training; returns the records created.

    A member already recorded for the same course on the same day is skipped, so a
    form sent twice records nothing new. Member.last_trained_on keeps the latest date.
    """
    course = " ".join(course.split())
    organizer = organizer.strip()
    members = list({member.pk: member for member in members}.values())
    errors: Errors = {}
    if not members:
        _add(errors, "members", _("Choose at least one member."))
    if not course:
        _add(errors, "course", _("Enter the course."))
    if trained_on > _today():
        _add(errors, "trained_on", _("The training date cannot be in the future."))
    fresh = list(Member.objects.filter(pk__in=[m.pk for m in members]).order_by("full_name"))
    too_early = [m.full_name for m in fresh if trained_on < m.joined_on]
    if too_early:
        _add(
            errors,
            "members",
            _("These members joined the union after %(date)s: %(names)s.")
            % {"date": _date(trained_on), "names": ", ".join(too_early)},
        )
    gone = [m.full_name for m in fresh if m.status_changed_on is not None and trained_on >= m.status_changed_on]
    if gone:
        _add(
            errors,
            "members",
            _("These members had left the union by %(date)s: %(names)s.")
            % {"date": _date(trained_on), "names": ", ".join(gone)},
        )
    _raise(errors)

    already = set(
        Training.objects.filter(member__in=fresh, course=course, trained_on=trained_on).values_list(
            "member_id", flat=True
        )
    )
    training = history.TrainingRow(course, trained_on, organizer)
    written = history.apply(
        [
            history.on_training(
                member_id=m.pk, last_trained_on=m.last_trained_on, training=training, recorded=m.pk in already
            )
            for m in fresh
        ],
        clean=True,
    )
    # The forward-only rule in SQL: a training recorded meanwhile by someone else is not undone.
    Member.objects.filter(pk__in=[m.pk for m in fresh]).filter(history.trained_before(trained_on)).update(
        last_trained_on=trained_on, updated_at=timezone.now()
    )
    _registry_changed(*Organization.objects.filter(pk__in={m.branch_id for m in fresh}))
    return written.trainings
