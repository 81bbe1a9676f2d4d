"""The plan's own fields and its operations as a formset (codes typed as on the Excel file)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organizations.forms import VnDateField
from organizations.models import Level, Organization, Sector

from .models import PlanOperationKind


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    effective_date = VnDateField(label=_("Effective date"))
    decision = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NewPlanForm(PlanForm):
    scope = forms.ModelChoiceField(label=_("Organization in charge"), queryset=None)
    field_order = ["scope", "name", "effective_date", "decision", "note"]

    def __init__(self, *args, scopes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = Organization.objects.filter(pk__in=[s.pk for s in scopes])


class OperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Operation"), choices=[("", "—"), *PlanOperationKind.choices], required=False)
    codes = forms.CharField(label=_("Bodies (codes, comma-separated)"), required=False)
    target = forms.CharField(label=_("Target body"), max_length=32, required=False)
    new_code = forms.CharField(label=_("New code"), max_length=32, required=False)
    new_name = forms.CharField(label=_("New name"), max_length=255, required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=())
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    successors = forms.CharField(label=_("Successors (CHILD=SUCCESSOR; …)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "—"), *Level.objects.values_list("code", "name")]

    def clean_codes(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["codes"].split(",") if code.strip()]

    def clean_successors(self) -> dict[str, str]:
        pairs = {}
        for part in self.cleaned_data["successors"].split(";"):
            if part.strip():
                child, sep, successor = part.partition("=")
                if not sep or not child.strip() or not successor.strip():
                    raise ValidationError(_("Write each successor as CHILD=SUCCESSOR, separated by “;”."))
                pairs[child.strip()] = successor.strip()
        return pairs

    @classmethod
    def initial_of(cls, op) -> dict:
        return {
            "kind": op.kind,
            "codes": ", ".join(op.codes),
            "target": op.target,
            "new_code": op.new_code,
            "new_name": op.new_name,
            "level": op.level,
            "sector": op.sector,
            "successors": "; ".join(f"{child}={successor}" for child, successor in op.successors.items()),
        }


OperationFormSet = forms.formset_factory(OperationForm, extra=3)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
