"""The confirmation form: one explanation per open warning of a grid (blank: left for later)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionportal.web import add_service_errors

from .services import COMMENT_MAX

MAX_WARNINGS = 300  # fields of one form; a grid with more is confirmed in several rounds


class ConfirmForm(forms.Form):
    def __init__(self, *args, warnings: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.open = [w for w in warnings if not w.is_confirmed][:MAX_WARNINGS]
        for warning in self.open:
            self.fields[f"comment_{warning.pk}"] = forms.CharField(
                label=_("Why the figure is right"),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX}),
            )

    def rows(self) -> list[tuple]:
        """(warning, its field) for the template."""
        return [(warning, self[f"comment_{warning.pk}"]) for warning in self.open]

    def clean(self) -> dict:
        data = super().clean()
        if not self.comments():
            raise ValidationError(_("Write an explanation for at least one warning."))
        return data

    def comments(self) -> dict[int, str]:
        data = getattr(self, "cleaned_data", {})
        return {w.pk: data[f"comment_{w.pk}"] for w in self.open if (data.get(f"comment_{w.pk}") or "").strip()}

    def show(self, refusal: ValidationError) -> None:
        add_service_errors(self, refusal)
