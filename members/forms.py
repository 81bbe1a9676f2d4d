"""Forms for the member pages. They validate input; the services do the work and check the dates."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.forms import VnDateField
from organizations.models import Organization
from unionportal.concurrency import SeenField, stamp

from .models import BranchRole, Gender, Member, MemberStatus

CITIZEN_ID = re.compile(r"^(\d{9}|\d{12})$")


def _branch_label(branch: Organization) -> str:
    return f"{branch.code} — {branch.name}"


class GridMixin:
    """Fields side by side on wide screens (members/_form_grid.html), one under another on a phone.

    `grid` maps a field to its Bootstrap column class (full width if absent); `headings`
    maps a field to the title of the group it opens.
    """

    grid: dict[str, str] = {}
    headings: dict[str, str] = {}

    def cells(self) -> list[tuple]:
        return [
            (self[name], self.grid.get(name, "col-12"), self.headings.get(name, ""))
            for name in self.fields
            if not self[name].is_hidden
        ]


class PersonalFieldsForm(GridMixin, forms.Form):
    """Who the member is: the fields member_update may change."""

    grid = {
        "full_name": "col-md-8",
        "gender": "col-md-4",
        "date_of_birth": "col-md-4",
        "ethnicity": "col-md-4",
        "citizen_id": "col-md-4",
        "card_issued_on": "col-md-4",
    }

    full_name = forms.CharField(label=_("Full name"), max_length=255)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    gender.inline = True
    date_of_birth = VnDateField(label=_("Date of birth"), required=False)
    ethnicity = forms.CharField(
        label=_("Ethnicity"), max_length=64, initial="Kinh", help_text=_("For example: Kinh, Tày, Dao, Nùng, H'Mông.")
    )
    citizen_id = forms.CharField(
        label=_("Citizen ID number"),
        max_length=16,  # room for the spaces people type between groups of digits
        required=False,
        help_text=_("12 digits (9 for an old identity card). Personal data: shown only to those who edit members."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    card_issued_on = VnDateField(label=_("Card issued on"), required=False)

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_citizen_id(self) -> str | None:
        value = "".join(self.cleaned_data["citizen_id"].split())
        if value and not CITIZEN_ID.match(value):
            raise forms.ValidationError(_("A citizen ID number has 12 digits (or 9 for an old identity card)."))
        return value or None


class MemberCreateForm(PersonalFieldsForm):
    branch = forms.ModelChoiceField(
        label=_("Base union"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        empty_label=_("— choose a base union —"),
    )
    card_number = forms.CharField(
        label=_("Member card number"), max_length=32, help_text=_("Letters, digits and hyphens, e.g. HG10012345.")
    )
    joined_on = VnDateField(label=_("Joined the union on"))
    role = forms.ChoiceField(label=_("Role in the base union"), choices=BranchRole.choices, initial=BranchRole.MEMBER)
    trained_on = VnDateField(
        label=_("Trained on"), required=False, help_text=_("If the member has attended a union training.")
    )
    training_course = forms.CharField(label=_("Training course"), max_length=255, required=False)
    training_organizer = forms.CharField(label=_("Organized by"), max_length=255, required=False)

    grid = {
        **PersonalFieldsForm.grid,
        "card_number": "col-md-4",
        "joined_on": "col-md-4",
        "role": "col-md-6",
        "trained_on": "col-md-3",
        "training_course": "col-md-5",
        "training_organizer": "col-md-4",
    }
    headings = {"card_number": _("Union membership"), "trained_on": _("Training (if any)")}
    field_order = [
        "branch",
        "full_name",
        "gender",
        "date_of_birth",
        "ethnicity",
        "citizen_id",
        "card_number",
        "card_issued_on",
        "joined_on",
        "role",
        "trained_on",
        "training_course",
        "training_organizer",
    ]

    def __init__(self, *args, branches, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["branch"].label_from_instance = _branch_label

    def clean_card_number(self) -> str:
        card_number = self.cleaned_data["card_number"].strip().upper()
        if Member.objects.filter(card_number=card_number).exists():
            raise forms.ValidationError(_("Card number %(number)s is already in use."), params={"number": card_number})
        return card_number

    def clean(self):
        data = super().clean()
        if data.get("trained_on") and not data.get("training_course"):
            self.add_error("training_course", _("Enter the course the member was trained in."))
        if data.get("training_course") and not data.get("trained_on"):
            self.add_error("trained_on", _("Enter the date of the training."))
        return data


class MemberEditForm(PersonalFieldsForm):
    seen = SeenField()

    def __init__(self, *args, member: Member, **kwargs) -> None:
        initial = {field: getattr(member, field) for field in self.base_fields if field != "seen"}
        kwargs.setdefault("initial", {**initial, "seen": stamp(member)})
        super().__init__(*args, **kwargs)
        self.member = member


class TransferForm(forms.Form):
    to_branch = forms.ModelChoiceField(
        label=_("New base union"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        empty_label=_("— choose a base union —"),
    )
    effective_date = VnDateField(label=_("Effective date"))
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_("For example the decision or the letter of transfer."),
    )

    def __init__(self, *args, branches, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches
        self.fields["to_branch"].label_from_instance = _branch_label


class LeaveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How the membership ends"),
        choices=[
            (MemberStatus.LEFT, _("Left the union (retired, resigned, stopped working here…)")),
            (MemberStatus.TRANSFERRED, _("Transferred to a union outside this portal")),
        ],
        initial=MemberStatus.LEFT,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    effective_date = VnDateField(label=_("Effective date"))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=BranchRole.choices)
    effective_date = VnDateField(label=_("Effective date"), help_text=_("The current role ends on this day."))

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(value, label) for value, label in BranchRole.choices if value != member.role]


class TrainingForm(GridMixin, forms.Form):
    grid = {"course": "col-md-6", "trained_on": "col-md-3", "organizer": "col-md-3"}

    course = forms.CharField(label=_("Course"), max_length=255)
    trained_on = VnDateField(label=_("Date of the training"))
    organizer = forms.CharField(label=_("Organized by"), max_length=255, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Members who attended"),
        queryset=Member.objects.none(),
        to_field_name="card_number",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates
        self.fields["members"].label_from_instance = self.member_label

    @staticmethod
    def member_label(member: Member) -> str:
        parts = [member.full_name, member.card_number]
        if member.role != BranchRole.MEMBER:
            parts.append(str(member.get_role_display()))
        parts.append(member.branch.display_name)
        return " · ".join(parts)
