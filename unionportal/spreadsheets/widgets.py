"""django-import-export widgets for the portal's file format (Vietnamese labels, dd/mm/yyyy dates)."""

from __future__ import annotations

import datetime
import unicodedata

from import_export.widgets import DateWidget, Widget

from .cells import ValueMap


class LabelWidget(Widget):
    """A choice column: the Vietnamese label in the file, the stored value in the database."""

    def __init__(self, values: ValueMap, *, blank: str | None = None) -> None:
        super().__init__(coerce_to_string=True)
        self.values = values
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        label = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
        if not label:
            return self.blank if self.blank is not None else ""
        found = self.values.by_label.get(label) or self.values.by_folded.get(label.casefold())
        if found is None:
            raise ValueError(f"“{label}” is not one of: {'; '.join(self.values.labels)}")
        return found

    def render(self, value, obj=None, **kwargs):
        return self.values.label(value)


class DayWidget(DateWidget):
    """Dates as real Excel dates or dd/mm/yyyy text."""

    def __init__(self) -> None:
        super().__init__(format="%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return super().clean(value, row, **kwargs)
