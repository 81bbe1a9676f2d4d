"""No lost edits: a save that started from an older version of the record is refused.

The form carries the version of the record it was opened on (a hidden field): its
`updated_at` stamp (`check_not_stale`), or an integer version the record counts up
(`check_version`: a grid cell, a report's text). The service compares it with the row,
locked, before writing; if someone saved in between, it refuses with StaleEdit, which
carries the record as it is now, and nothing is written. On a form,
unionportal.web.show_refusal shows the refusal and moves the hidden field on, so that
saving again is a deliberate overwrite of what the message showed.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    """Someone saved the record after the editor opened it; `current` is the record now (None: not saved)."""

    def __init__(self, message, *, current=None) -> None:
        super().__init__(message)
        self.current = current


def stamp(instance) -> str:
    return instance.updated_at.isoformat() if instance.updated_at else ""


def check_not_stale(instance, seen: str | None, fields: list[str]) -> None:
    """Raise StaleEdit when `instance` (freshly read, locked) changed since the form showed `seen`."""
    if not seen or seen == stamp(instance):
        return
    when = date_format(timezone.localtime(instance.updated_at), "SHORT_DATETIME_FORMAT")
    now = "; ".join(
        f"{instance._meta.get_field(name).verbose_name}: {_display(getattr(instance, name))}" for name in fields
    )
    raise StaleEdit(
        _(
            "Someone else saved this record at %(when)s, after you opened it. It now reads — %(now)s. Your changes were not saved: check them against these and save again."
        )
        % {"when": when, "now": now},
        current=instance,
    )


def check_version(current, seen: int | None, *, message: str, field: str = "version") -> None:
    """Raise StaleEdit when `current` (freshly read, locked; None or unsaved: version 0) is not at version `seen`.

    `seen` None means the editor did not say which version it saw: nothing to compare.
    """
    if seen is None:
        return
    version = getattr(current, field) if current is not None else 0
    if version != seen:
        raise StaleEdit(message, current=current)


def _display(value) -> str:
    if value is None or value == "":
        return "–"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


class SeenField(forms.CharField):
    """The hidden field that carries the version the form was opened on."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
