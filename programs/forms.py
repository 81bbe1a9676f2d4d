"""The program form and the formsets of its parts (legal bases, sections of tasks, milestones)."""

from __future__ import annotations

import os

from django import forms
from django.core.validators import validate_slug
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organizations.models import Level, Organization
from organizations.permissions import Action, scope_for
from organizations.selectors import organizations_for_user

from .models import MilestoneKind, Program, ProgramKind, ProgramStatus

ORIGINAL_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png")
ORIGINAL_MAX_BYTES = 20 * 1024 * 1024
FIRST_YEAR, LAST_YEAR = 1945, 2100


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.code})"


class OrganizationsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.display_name


def union_bodies_for(user) -> QuerySet[Organization]:
    """The bodies above the base level the user sees: issuers and responsible bodies are chosen among them."""
    return organizations_for_user(user).exclude(level__code__in=[Level.BASE, Level.BELOW_BASE]).order_by("path")


def manageable_scopes(user) -> QuerySet[Organization]:
    scope = scope_for(user)
    bodies = list(union_bodies_for(user))
    return Organization.objects.filter(pk__in=[o.pk for o in bodies if scope.can(Action.MANAGE_PROGRAMS, o)]).order_by(
        "path"
    )


class ProgramForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        validators=[validate_slug],
        help_text=_("A short code used in addresses and commands, e.g. QB-CTR04. It cannot be changed later."),
    )
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ProgramKind.choices)
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=64,
        required=False,
        help_text=_("As printed on the document, e.g. 04-CTr/HU; leave blank when the document has none."),
    )
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    subject = forms.CharField(
        label=_("Subject"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What the document is about, as a report quotes it after “về”, e.g. phát triển đoàn viên, thành lập "
            "và nâng cao chất lượng hoạt động Công đoàn cơ sở giai đoạn 2021 - 2025."
        ),
    )
    issuer = OrganizationChoiceField(
        label=_("Issuing union body"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— an outside body (write its name below) —"),
    )
    issuer_name = forms.CharField(
        label=_("Issuing body, as written on the document"),
        max_length=255,
        required=False,
        help_text=_("E.g. Ban Thường vụ Huyện ủy Quang Bình. Left blank, the name of the union body chosen above."),
    )
    issuer_superior = forms.CharField(
        label=_("Line above the issuer in the header"),
        max_length=255,
        required=False,
        help_text=_("E.g. ĐẢNG BỘ TỈNH HÀ GIANG or LĐLĐ TỈNH HÀ GIANG."),
    )
    place = forms.CharField(label=_("Place of issue"), max_length=100, required=False)
    issued_on = forms.DateField(
        label=_("Date of issue"),
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Invalid date: enter it as dd/mm/yyyy, e.g. 05/01/2021.")},
    )
    start_year = forms.IntegerField(label=_("First year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    end_year = forms.IntegerField(label=_("Last year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    scope = OrganizationChoiceField(
        label=_("Applies to"),
        queryset=Organization.objects.none(),
        empty_label=_("— choose —"),
        help_text=_("The organization whose subtree the program applies to."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProgramStatus.choices, initial=ProgramStatus.ACTIVE)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    coverage_threshold = forms.DecimalField(
        label=_("coverage needed for a verdict (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=90,
        required=False,
        help_text=_(
            "Below this share of units reporting, a figure is marked “not enough data” instead of being judged."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What readers of the figures should know: a target that covers more than the portal holds, "
            "a date or an allocation given as an example."
        ),
    )
    signed_by = forms.CharField(label=_("Signed by"), max_length=255, required=False)
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=255,
        required=False,
        help_text=_("E.g. TM. BAN THƯỜNG VỤ — CHỦ TỊCH."),
    )
    original = forms.FileField(
        label=_("Original document"),
        required=False,
        help_text=_("The scanned or signed document: PDF, Word or an image, up to 20 MB."),
    )
    remove_original = forms.BooleanField(label=_("Remove the attached document"), required=False)

    def __init__(self, *args, user, program: Program | None = None, **kwargs) -> None:
        self.program = program
        if program is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(program, name)
                for name in (
                    "kind",
                    "number",
                    "title",
                    "subject",
                    "issuer_name",
                    "issuer_superior",
                    "place",
                    "issued_on",
                    "start_year",
                    "end_year",
                    "status",
                    "goals",
                    "notes",
                    "signed_by",
                    "signer_title",
                    "coverage_threshold",
                )
            } | {"issuer": program.issuer_id, "scope": program.scope_id}
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = union_bodies_for(user)
        scopes = manageable_scopes(user)
        if program is not None:
            # The current scope stays choosable even if the user could not pick it for a new program.
            scopes = Organization.objects.filter(pk__in=[*scopes.values_list("pk", flat=True), program.scope_id])
        self.fields["scope"].queryset = scopes.order_by("path")
        if program is not None:
            del self.fields["code"]
            if not program.original:
                del self.fields["remove_original"]
        else:
            del self.fields["remove_original"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if Program.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(_("Code %(code)s is already in use.") % {"code": code})
        return code

    def clean_original(self):
        original = self.cleaned_data.get("original")
        if not original:
            return original
        extension = os.path.splitext(original.name)[1].lower()
        if extension not in ORIGINAL_EXTENSIONS:
            raise forms.ValidationError(
                _("Attach a PDF, Word or image file (%(extensions)s).") % {"extensions": ", ".join(ORIGINAL_EXTENSIONS)}
            )
        if original.size > ORIGINAL_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return original

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year cannot be before the first year."))
        if not data.get("issuer") and not data.get("issuer_name", "").strip():
            self.add_error("issuer_name", _("Choose the issuing union body or write the name of the body."))
        return data

    def program_fields(self) -> dict:
        """The cleaned values as program_create / program_update take them."""
        data = dict(self.cleaned_data)
        data.pop("code", None)
        data.pop("original", None)
        data.pop("remove_original", None)
        if data.get("coverage_threshold") is None:
            data.pop("coverage_threshold", None)  # left empty: the program keeps its threshold (90 % when new)
        return data


class BasisForm(forms.Form):
    text = forms.CharField(
        label=_("Document implemented (căn cứ)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. Nghị quyết Đại hội Đảng bộ huyện lần thứ IV, nhiệm kỳ 2020 - 2025."),
    )


class SectionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Section of tasks and solutions"), max_length=500)
    body = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responsible = OrganizationsChoiceField(
        label=_("Responsible union bodies"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    responsible_text = forms.CharField(
        label=_("Other bodies responsible (as written)"),
        max_length=500,
        required=False,
        help_text=_("For bodies outside the union, e.g. Các Chi, Đảng bộ trực thuộc."),
    )

    def __init__(self, *args, bodies: QuerySet[Organization], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = bodies


class MilestoneForm(forms.Form):
    # A blank first choice, so that the blank rows at the end of the formset stay unchanged.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *MilestoneKind.choices])
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Invalid date: enter it as dd/mm/yyyy, e.g. 05/01/2021.")},
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)


BasisFormSet = forms.formset_factory(BasisForm, extra=2, can_delete=True)
SectionFormSet = forms.formset_factory(SectionForm, extra=2, can_delete=True)
MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, can_delete=True)


def kept(formset: forms.BaseFormSet) -> list[dict]:
    """The rows of a valid formset, in order, without those marked for deletion and the blank extra ones."""
    # A blank extra form is not validated and keeps empty cleaned_data.
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
