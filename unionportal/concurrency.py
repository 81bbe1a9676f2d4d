"""No lost edits on forms: a save that started from an older version of the record is refused.

The form carries the record's `updated_at` as it was when the page opened (a hidden
field). The service compares it with the row, locked, before writing; if someone saved
in between, it refuses with the newer values in the message, and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    pass


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
        % {"when": when, "now": now}
    )


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
