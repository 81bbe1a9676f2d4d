"""Choice labels read without rebuilding the field's choices on every call.

Django's `get_FOO_display()` turns the field's choices into a dict at each call (make_hashable over
every choice): a list of 50 members asks for three labels a row, some 8 ms of a page. The labels'
dict depends only on the field, so it is built once per field and kept; the labels themselves stay
lazy and are translated at each call, in the language of the request.
"""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict[models.Field, dict] = {}


class ChoiceLabels:
    """A model mixin: `get_FOO_display()` from a dict built once per field."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
