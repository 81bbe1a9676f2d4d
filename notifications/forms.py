from __future__ import annotations

from django import forms

from .events import KINDS
from .models import Delivery

# At once first: what a user who changes nothing receives.
ORDER = (Delivery.IMMEDIATE, Delivery.DIGEST, Delivery.OFF)


class PreferencesForm(forms.Form):
    """One choice per kind of notification: an email at once, in the daily digest, or none."""

    def __init__(self, *args, initial_deliveries: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, kind in KINDS.items():
            self.fields[code] = forms.ChoiceField(
                label=kind.label,
                choices=[(value, Delivery(value).label) for value in ORDER],
                initial=(initial_deliveries or {}).get(code, Delivery.IMMEDIATE),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )


class UnsubscribeForm(forms.Form):
    """The confirmation: a link followed by a mail scanner must not unsubscribe anyone."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput, initial=True)
