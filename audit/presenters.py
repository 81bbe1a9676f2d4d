"""Audit events as people read them: who, when, through what, and each field's before → after.

Values are shown as the pages show them (names instead of ids, dd/mm/yyyy, Vietnamese
number formats, choices by label); personal data stays masked for roles that may not see it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from organizations.models import Organization
from unionportal.templatetags.vn import num, person_name

from .models import AuditEvent
from .triggers import tracked_tables

# Bookkeeping columns nobody needs to read in a history.
HIDDEN_COLUMNS = frozenset({"id", "path", "depth", "numchild", "version", "created_at", "updated_at"})
# Decree 13/2023: shown only to roles that may see members' personal data.
PERSONAL_COLUMNS = frozenset({"citizen_id", "date_of_birth"})
MASK = "••••"
# The rows of a bulk import's event listed in a body's history; the rest are counted.
LISTED = 500


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    actor: str
    channel: str
    channel_detail: str
    action: str
    action_code: str
    what: str
    changes: tuple[Change, ...]
    where: str = ""
    # A bulk import's event shown whole: how many rows it created (its changes list them, up to LISTED).
    rows: int = 0


def channel_of(context: str) -> tuple[str, str]:
    """(what the user reads, the detail behind it) for a context string of unionportal.acting."""
    kind, _sep, detail = context.partition(":")
    if kind == "web":
        return _("on the web"), detail
    if kind == "import":
        _kind, _sep, name = detail.partition(":")
        return _("Excel import «%(file)s»") % {"file": name}, detail
    if kind == "command":
        return _("command %(name)s") % {"name": detail}, detail
    if kind == "api":
        return _("API, token «%(name)s»") % {"name": detail}, detail
    return "", context


class _Names:
    """Names for the ids found in a page of events, one query per related model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.found: dict[type[models.Model], dict] = {}

    def want(self, model: type[models.Model], value) -> None:
        if value not in (None, ""):
            self.wanted[model].add(value)

    def load(self) -> None:
        user_model = get_user_model()
        for model, ids in self.wanted.items():
            objects = model._default_manager.filter(pk__in=ids)
            if model is user_model:
                self.found[model] = {user.pk: person_name(user) for user in objects}
            else:
                self.found[model] = {obj.pk: str(obj) for obj in objects}

    def name(self, model: type[models.Model], value) -> str:
        return self.found.get(model, {}).get(value) or f"#{value}"


def _columns(model: type[models.Model]) -> dict[str, models.Field]:
    return {field.column: field for field in model._meta.concrete_fields}


def _date(value) -> str:
    day = parse_date(str(value)[:10]) if value else None
    return day.strftime("%d/%m/%Y") if day else str(value)


def _datetime(value) -> str:
    moment = parse_datetime(str(value)) if value else None
    if moment is None:
        return str(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _number(value) -> str:
    try:
        return num(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _format(field: models.Field, value, names: _Names) -> str:
    if value is None or value == "":
        return "–"
    if field.is_relation:
        return names.name(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value in (True, 1, "1", "true") else _("no")
    if isinstance(field, models.DateTimeField):
        return _datetime(value)
    if isinstance(field, models.DateField):
        return _date(value)
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return _number(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _label(field) -> str:
    label = str(field.verbose_name)
    if getattr(field, "is_relation", False) and label == field.name.replace("_", " "):
        # A foreign key without a label of its own reads as the model it points to.
        label = str(field.related_model._meta.verbose_name)
    return label[:1].upper() + label[1:]


class _Figures:
    """What a data value is (which figure, of which body) and its value as the grid shows it."""

    def __init__(self, events: list[AuditEvent], names: _Names) -> None:
        from indicators.models import DataElement, DataValue

        events = [event for event in events if event.table_name == DataValue._meta.db_table]
        self.rows = {
            value.pk: (value.element_id, value.organization_id)
            for value in DataValue.objects.filter(pk__in=[event.row_id for event in events]).only(
                "element_id", "organization_id"
            )
        }
        for event in events:
            whole = event.before if event.action == "delete" else event.after
            if event.row_id not in self.rows and whole:
                self.rows[event.row_id] = (whole.get("element_id"), whole.get("organization_id"))
        self.elements = DataElement.objects.in_bulk({element for element, _org in self.rows.values()})
        for _element, organization in self.rows.values():
            names.want(Organization, organization)

    def entry_parts(self, event: AuditEvent, names: _Names) -> tuple[str, str, tuple[Change, ...]]:
        element_id, organization_id = self.rows.get(event.row_id, (None, None))
        element = self.elements.get(element_id)
        before, after = event.before or {}, event.after or {}
        changes = []
        if element is not None:
            column = "number" if element.is_numeric else "boolean" if element.value_type == "boolean" else "choice"
            if column in before or column in after:
                old, new = self._text(element, before.get(column)), self._text(element, after.get(column))
                if event.action != "update" or old != new:
                    changes.append(Change(_("Value"), old if event.action != "create" else "", new))
        what = element.name if element is not None else _("figure #%(id)s") % {"id": event.row_id}
        return what, names.name(Organization, organization_id) if organization_id else "", tuple(changes)

    @staticmethod
    def _text(element, value) -> str:
        if value is None or value == "":
            return "–"
        if element.is_numeric:
            return _number(value)
        if element.value_type == "boolean":
            return _("yes") if value in (True, 1, "1", "true") else _("no")
        return element.choice_label(value) or str(value)


def _one_row(event: AuditEvent, row_id: int) -> AuditEvent:
    """A bulk import's event as the creation of one of its rows, as the trigger would have recorded it."""
    values = dict(event.rows()).get(row_id, {})
    return AuditEvent(
        id=event.id,
        at=event.at,
        actor_id=event.actor_id,
        context=event.context,
        table_name=event.table_name,
        action=event.action,
        row_id=row_id,
        subject=event.subject,
        subject_id=row_id,
        organization_id=event.organization_id,
        after=values,
    )


def _listed(event: AuditEvent, fields: dict[str, models.Field], names: _Names) -> tuple[Change, ...]:
    """A bulk import's rows as one line each: its first two shown columns (a member's card and name)."""
    shown = [column for column in (event.after or {}).get("columns", []) if column not in HIDDEN_COLUMNS][:2]
    lines = []
    for _row_id, values in event.rows()[:LISTED]:
        texts = [_format(fields[column], values.get(column), names) for column in shown if column in fields]
        lines.append(Change(texts[0] if texts else "", "", " ".join(texts[1:])))
    return tuple(lines)


def present(events: Iterable[AuditEvent], *, show_personal: bool, row: int | None = None) -> list[Entry]:
    """Entries for `events`. A bulk import's event is one entry listing its rows, or, in the
    history of one of those rows (`row`, its id), that row's creation."""
    events = [_one_row(event, row) if event.is_bulk and row is not None else event for event in events]
    models_by_table = {table: apps.get_model(item.model) for table, item in tracked_tables().items()}
    names = _Names()
    user_model = get_user_model()
    for event in events:
        names.want(user_model, event.actor_id)
        model = models_by_table.get(event.table_name)
        if model is None:
            continue
        fields = _columns(model)
        for values in (event.before or {}, event.after or {}) if not event.is_bulk else ():
            for column, value in values.items():
                field = fields.get(column)
                if field is not None and field.is_relation:
                    names.want(field.related_model, value)
    figures = _Figures(events, names)
    names.load()
    return [_entry(event, models_by_table, names, figures, show_personal=show_personal) for event in events]


def _entry(event: AuditEvent, models_by_table, names: _Names, figures: _Figures, *, show_personal: bool) -> Entry:
    model = models_by_table.get(event.table_name)
    fields = _columns(model) if model is not None else {}
    what, where = _label(model._meta) if model is not None else event.table_name, ""
    if event.is_bulk:
        changes = _listed(event, fields, names)
        count = event.last_row_id - event.row_id + 1
        if model is not None:
            what = f"{num(count)} {model._meta.verbose_name_plural}"
    else:
        count = 0
        changes = _changes(event, fields, names, show_personal=show_personal)
    if event.subject == "datavalue":
        what, where, changes = figures.entry_parts(event, names)
    channel, detail = channel_of(event.context)
    user_model = get_user_model()
    return Entry(
        at=event.at,
        actor=names.name(user_model, event.actor_id) if event.actor_id else _("system"),
        channel=channel,
        channel_detail=detail,
        action=event.get_action_display(),
        action_code=event.action,
        what=what,
        where=where,
        changes=changes,
        rows=count,
    )


def _changes(event: AuditEvent, fields: dict[str, models.Field], names: _Names, *, show_personal: bool):
    before, after = event.before or {}, event.after or {}
    changes = []
    for column, field in fields.items():
        if column in HIDDEN_COLUMNS or (column not in before and column not in after):
            continue
        old, new = before.get(column), after.get(column)
        if event.action == "update" and old == new:
            continue
        if event.action != "update" and (old if event.action == "delete" else new) in (None, ""):
            continue
        if column in PERSONAL_COLUMNS and not show_personal:
            old_text = MASK if old not in (None, "") else "–"
            new_text = MASK if new not in (None, "") else "–"
        else:
            old_text, new_text = _format(field, old, names), _format(field, new, names)
        changes.append(Change(_label(field), old_text if event.action != "create" else "", new_text))
    return tuple(changes)
