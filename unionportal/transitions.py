"""A status that moves by a table of transitions, each with the statuses it leaves from and its refusal.

    SUBMIT = Transition("submit", {DRAFT, RETURNED}, SUBMITTED, _("Already submitted."), stamp="submitted_at")
    perform(submission, SUBMIT)  # or ValidationError, and nothing changed

A service locks the row, checks its own rules (who may, what else must hold), then performs the
transition; the table is where a newcomer reads which moves exist (indicators/workflow/services.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class Transition:
    name: str
    sources: Iterable[str]
    target: str
    refusal: str  # why the transition cannot leave from the current status
    _: KW_ONLY
    stamp: str | None = None  # a date-time field set when it happens
    needs_comment: str | None = None  # the refusal when no comment is given; None: a comment is optional

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(self.sources))


def check(instance: models.Model, transition: Transition, *, comment: str = "", field: str = "status") -> None:
    """Refuse (ValidationError) a missing comment the transition needs, then a status it does not leave from."""
    if transition.needs_comment and not comment.strip():
        raise ValidationError(str(transition.needs_comment))
    if getattr(instance, field) not in transition.sources:
        raise ValidationError(str(transition.refusal))


def perform(instance: models.Model, transition: Transition, *, comment: str = "", field: str = "status") -> None:
    """Check the transition, then move the status (and its stamp) and save those fields."""
    check(instance, transition, comment=comment, field=field)
    setattr(instance, field, transition.target)
    changed = [field]
    if transition.stamp:
        setattr(instance, transition.stamp, timezone.now())
        changed.append(transition.stamp)
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        changed.append("updated_at")
    instance.save(update_fields=changed)
