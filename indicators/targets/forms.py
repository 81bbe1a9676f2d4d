"""The allocation form: one target per child, typed the Vietnamese way."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from unionportal.numbers import read_number
from unionportal.templatetags.vn import plain

from ..models import Comparison, Indicator, Target


class VietnameseDecimalField(forms.CharField):
    """A number typed the Vietnamese way: 1.234,5 (also 1234.5)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            number = read_number(text)
        except ValidationError as error:
            raise forms.ValidationError(error.messages)
        if number < 0:
            raise forms.ValidationError(_("A target cannot be negative."))
        return number


class AllocationForm(forms.Form):
    """One row per child: its target (and the upper end, for a range). Empty: no target of its own."""

    def __init__(
        self,
        *args,
        indicator: Indicator,
        children: list[Organization],
        current: dict[int, Target],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.children = children
        self.is_range = indicator.comparison == Comparison.RANGE
        for child in children:
            target = current.get(child.pk)
            self.fields[f"value_{child.pk}"] = VietnameseDecimalField(
                label=child.display_name, initial=plain(target.value) if target else ""
            )
            if self.is_range:
                self.fields[f"max_{child.pk}"] = VietnameseDecimalField(
                    label=_("upper end"), initial=plain(target.value_max) if target and target.value_max else ""
                )

    def rows(self) -> list[tuple[Organization, forms.BoundField, forms.BoundField | None]]:
        return [
            (child, self[f"value_{child.pk}"], self[f"max_{child.pk}"] if self.is_range else None)
            for child in self.children
        ]

    def allocations(self) -> list[tuple[Organization, Decimal | None, Decimal | None]]:
        return [
            (
                child,
                self.cleaned_data.get(f"value_{child.pk}"),
                self.cleaned_data.get(f"max_{child.pk}") if self.is_range else None,
            )
            for child in self.children
        ]
