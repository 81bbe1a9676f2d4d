"""Forms for the hierarchy pages. They validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionportal.concurrency import SeenField, stamp

from .models import Level, Organization, Sector, Workplace, WorkplaceKind

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


class VnDateField(forms.DateField):
    widget = forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y")
    default_error_messages = {"invalid": _("Invalid date: enter it as dd/mm/yyyy, e.g. 05/01/2021.")}


class CodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", _("Capital letters, digits and hyphens, e.g. HG-QB-TH01."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value.strip().upper() if value else value


class OrganizationCreateForm(forms.Form):
    code = CodeField(label=_("Code"))
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    level = forms.ModelChoiceField(label=_("Level"), queryset=Level.objects.none(), to_field_name="code")
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("— not applicable —")), *Sector.choices],
        required=False,
        help_text=_("Required for a base union."),
    )
    founded_on = VnDateField(label=_("Founding date"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def __init__(self, *args, parent: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        levels = Level.objects.filter(rank__gt=parent.level.rank).order_by("rank")
        self.fields["level"].queryset = levels
        first = levels.first()
        if first is not None:
            self.fields["level"].initial = first.code

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Organization.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Code %(code)s is already in use."), params={"code": code})
        return code

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level is not None:
            if level.code == Level.BASE and not data.get("sector"):
                self.add_error("sector", _("A base union must have a sector."))
            if level.code != Level.BASE and data.get("sector"):
                self.add_error("sector", _("Only a base union has a sector."))
        return data


class OrganizationEditForm(forms.Form):
    seen = SeenField()
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("— not applicable —")), *Sector.choices], required=False
    )
    founded_on = VnDateField(label=_("Founding date"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    chair_name = forms.CharField(
        label=_("Chair's full name"),
        max_length=100,
        required=False,
        help_text=_("Signs the body's reports unless the report names another signer."),
    )

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": organization.name,
                "short_name": organization.short_name,
                "sector": organization.sector,
                "founded_on": organization.founded_on,
                "address": organization.address,
                "chair_name": organization.chair_name,
                "seen": stamp(organization),
            },
        )
        super().__init__(*args, **kwargs)
        self.organization = organization
        if not organization.is_base:
            del self.fields["sector"]


class OperationForm(forms.Form):
    """What every restructuring records: when, by which decision, why."""

    effective_date = VnDateField(label=_("Effective date"))
    decision = forms.CharField(
        label=_("Decision number"), max_length=100, required=False, help_text=_("For example: 45/QĐ-LĐLĐ")
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DissolveForm(OperationForm):
    pass


class MoveForm(OperationForm):
    new_parent = forms.ModelChoiceField(
        label=_("New parent body"), queryset=Organization.objects.none(), to_field_name="code"
    )
    field_order = ["new_parent", "effective_date", "decision", "note"]

    def __init__(self, *args, parents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
        self.fields["new_parent"].label_from_instance = lambda o: f"{o.code} — {o.name}"


class MergeForm(OperationForm):
    NEW, EXISTING = "new", "existing"

    sources = forms.ModelMultipleChoiceField(
        label=_("Bodies to merge"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    mode = forms.ChoiceField(
        label=_("Merge into"),
        choices=[(NEW, _("a new body")), (EXISTING, _("an existing body"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=NEW,
    )
    into = forms.ModelChoiceField(
        label=_("Body to merge into"), queryset=Organization.objects.none(), to_field_name="code", required=False
    )
    new_code = CodeField(label=_("Code of the new body"), required=False)
    new_name = forms.CharField(label=_("Name of the new body"), max_length=255, required=False)
    new_sector = forms.ChoiceField(
        label=_("Sector of the new body"),
        choices=[("", _("— same as the first body —")), *Sector.choices],
        required=False,
    )
    field_order = [
        "sources",
        "mode",
        "into",
        "new_code",
        "new_name",
        "new_sector",
        "effective_date",
        "decision",
        "note",
    ]

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = candidates
        self.fields["into"].queryset = candidates
        for name in ("sources", "into"):
            self.fields[name].label_from_instance = lambda o: f"{o.code} — {o.name}"

    def clean(self):
        data = super().clean()
        sources = list(data.get("sources") or [])
        if data.get("mode") == self.EXISTING:
            into = data.get("into")
            if into is None:
                self.add_error("into", _("Choose the body to merge into."))
            elif into in sources:
                self.add_error("into", _("The body merged into cannot be one of the bodies merged."))
            elif not sources:
                self.add_error("sources", _("Choose at least one body to merge into %(name)s.") % {"name": into})
        else:
            if len(sources) < 2:
                self.add_error("sources", _("Choose at least two bodies to merge."))
            if not data.get("new_code"):
                self.add_error("new_code", _("Enter the code of the new body."))
            elif Organization.objects.filter(code=data["new_code"]).exists():
                self.add_error("new_code", _("Code %(code)s is already in use.") % {"code": data["new_code"]})
            if not data.get("new_name"):
                self.add_error("new_name", _("Enter the name of the new body."))
        return data


class SplitForm(OperationForm):
    """A split into up to five new organizations; the workplaces are shared out among them."""

    MAX_PARTS = 5

    def __init__(self, *args, source: Organization, workplaces: list[Workplace], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.workplaces = workplaces
        for i in range(1, self.MAX_PARTS + 1):
            required = i <= 2
            self.fields[f"code_{i}"] = CodeField(label=_("Code of new body %(n)s") % {"n": i}, required=required)
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Name of new body %(n)s") % {"n": i}, max_length=255, required=required
            )
        part_choices = [(str(i), _("New body %(n)s") % {"n": i}) for i in range(1, self.MAX_PARTS + 1)]
        for workplace in workplaces:
            self.fields[f"workplace_{workplace.pk}"] = forms.ChoiceField(
                label=f"{workplace.code} — {workplace.name}", choices=part_choices, initial="1"
            )

    def parts(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"code_{i}"], self.cleaned_data[f"name_{i}"])
            for i in range(1, self.MAX_PARTS + 1)
            if self.cleaned_data.get(f"code_{i}")
        ]

    def workplace_mapping(self) -> dict[str, int]:
        return {w.code: int(self.cleaned_data[f"workplace_{w.pk}"]) - 1 for w in self.workplaces}

    def clean(self):
        data = super().clean()
        codes: list[str] = []
        for i in range(1, self.MAX_PARTS + 1):
            code, name = data.get(f"code_{i}"), data.get(f"name_{i}")
            if code and not name:
                self.add_error(f"name_{i}", _("Enter a name for code %(code)s.") % {"code": code})
            if name and not code:
                self.add_error(f"code_{i}", _("Enter a code for %(name)s.") % {"name": name})
            if code:
                if code in codes:
                    self.add_error(f"code_{i}", _("Code %(code)s is entered twice.") % {"code": code})
                elif Organization.objects.filter(code=code).exists():
                    self.add_error(f"code_{i}", _("Code %(code)s is already in use.") % {"code": code})
                codes.append(code)
        count = len(codes)
        for workplace in self.workplaces:
            value = data.get(f"workplace_{workplace.pk}")
            if value and int(value) > count:
                self.add_error(
                    f"workplace_{workplace.pk}",
                    _("There are only %(count)s new bodies; choose one of them.") % {"count": count},
                )
        return data


class WorkplaceForm(forms.Form):
    code = CodeField(label=_("Workplace code"), help_text=_("The tax code, or a code set by the upper-level union."))
    name = forms.CharField(label=_("Workplace name"), max_length=255)
    kind = forms.ChoiceField(label=_("Type"), choices=WorkplaceKind.choices)
    worker_count = forms.IntegerField(label=_("Workers"), min_value=0)
    female_worker_count = forms.IntegerField(label=_("Women workers"), min_value=0)
    upper_union = forms.ModelChoiceField(
        label=_("Upper-level union"), queryset=Organization.objects.none(), to_field_name="code"
    )
    branch = forms.ModelChoiceField(
        label=_("Base union at the workplace"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("— no union yet —"),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    tax_code = forms.CharField(label=_("Tax code"), max_length=20, required=False)

    def __init__(self, *args, upper_unions, branches, workplace: Workplace | None = None, **kwargs) -> None:
        if workplace is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": workplace.code,
                    "name": workplace.name,
                    "kind": workplace.kind,
                    "worker_count": workplace.worker_count,
                    "female_worker_count": workplace.female_worker_count,
                    "upper_union": workplace.upper_union.code,
                    "branch": workplace.branch.code if workplace.branch else None,
                    "address": workplace.address,
                    "tax_code": workplace.tax_code,
                },
            )
        super().__init__(*args, **kwargs)
        self.workplace = workplace
        self.fields["upper_union"].queryset = upper_unions
        self.fields["branch"].queryset = branches
        self.fields["upper_union"].label_from_instance = lambda o: f"{o.code} — {o.name}"
        self.fields["branch"].label_from_instance = lambda o: f"{o.code} — {o.name}"
        if workplace is not None:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.workplace is None and Workplace.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Code %(code)s is already in use."), params={"code": code})
        return code

    def clean(self):
        data = super().clean()
        total, female = data.get("worker_count"), data.get("female_worker_count")
        if total is not None and female is not None and female > total:
            self.add_error("female_worker_count", _("Women workers cannot outnumber all workers."))
        return data
