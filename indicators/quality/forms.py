"""The confirmation form: one explanation per flagged figure (all its open warnings at once; blank: left for later)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionportal.web import add_service_errors

from .services import COMMENT_MAX

MAX_FIGURES = 300  # fields of one form; a grid with more is confirmed in several rounds


class ConfirmForm(forms.Form):
    """A field per flagged cell, named after its first open warning: one figure, one explanation."""

    def __init__(self, *args, warnings: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cells: dict[tuple[int, int], list] = {}
        for warning in warnings:
            if not warning.is_confirmed:
                cells.setdefault((warning.organization_id, warning.element_id), []).append(warning)
        self.cells = list(cells.values())[:MAX_FIGURES]
        for cell in self.cells:
            self.fields[self._name(cell)] = forms.CharField(
                label=_("Why the figure is right"),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX}),
            )

    @staticmethod
    def _name(cell: list) -> str:
        return f"comment_{cell[0].pk}"

    @property
    def open(self) -> list:
        return [warning for cell in self.cells for warning in cell]

    def rows(self) -> list[tuple]:
        """(the warnings of a cell, its field) for the template."""
        return [(cell, self[self._name(cell)]) for cell in self.cells]

    def clean(self) -> dict:
        data = super().clean()
        if not self.comments():
            raise ValidationError(_("Write an explanation for at least one warning."))
        return data

    def comments(self) -> dict[int, str]:
        """Warning id -> explanation, for every open warning of each explained cell."""
        data = getattr(self, "cleaned_data", {})
        found = {}
        for cell in self.cells:
            text = (data.get(self._name(cell)) or "").strip()
            if text:
                found.update({warning.pk: text for warning in cell})
        return found

    def show(self, refusal: ValidationError) -> None:
        """A service's refusal: an explanation's error goes on its cell's field."""
        if hasattr(refusal, "error_dict"):
            names = {f"comment_{w.pk}": self._name(cell) for cell in self.cells for w in cell}
            for key, messages in refusal.message_dict.items():
                field = names.get(key)
                if field and not self.has_error(field):
                    self.add_error(field, messages)
                elif not field:
                    self.add_error(None, messages)
        else:
            add_service_errors(self, refusal)
