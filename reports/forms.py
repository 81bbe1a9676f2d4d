"""Forms of the report pages: the written parts, a new frozen version, a file to prepare."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SECTION_TEXT_MAX, ReportFormat, ReportKind, ReportNarrative
from .narratives import NARRATIVE_FIELDS


class NarrativeForm(forms.ModelForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = ReportNarrative
        fields = NARRATIVE_FIELDS
        widgets = {
            "dated": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "place": _("Leave blank to use the place in the organization's name."),
            "dated": _("Leave blank to date the document on the day it is downloaded (or frozen)."),
            "signer_name": _("Leave blank for the chair of the body, as recorded on its page."),
            "recipients": _("One per line; leave blank for the superior body and the archive."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dated"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        if not self.is_bound:
            self.initial["seen_version"] = self.instance.version if self.instance.pk else 0
        # A new report's defaults, shown so that the office sees what the document will say.
        chair = self.instance.organization.chair_name if self.instance.organization_id else ""
        if chair:
            self.fields["signer_name"].widget.attrs["placeholder"] = chair
        if not self.instance.pk and not self.is_bound:
            self.initial["dated"] = self.initial.get("dated") or timezone.localdate()
            self.initial["signer_name"] = self.initial.get("signer_name") or chair


class SectionForm(forms.Form):
    """One section (I, II or III) of the report's text, edited in place of its draft."""

    text = forms.CharField(
        label=_("Text"),
        max_length=SECTION_TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "maxlength": SECTION_TEXT_MAX, "spellcheck": "true"}),
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_text(self) -> str:
        # Browsers send CRLF; keep one kind of line end and no trailing spaces, so an unchanged
        # draft compares equal to itself.
        lines = [line.rstrip() for line in self.cleaned_data["text"].replace("\r\n", "\n").split("\n")]
        text = "\n".join(lines).strip("\n")
        if not text.strip():
            raise forms.ValidationError(
                _(
                    "The section is empty. To use the text drafted from the figures, choose “Back to the automatic draft”."
                )
            )
        return text


class NewVersionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Why the figures are taken again, e.g. a correction accepted by the superior body."),
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give the reason for the new version."))
        return reason


class ReportFileForm(forms.Form):
    format = forms.ChoiceField(choices=ReportFormat.choices)
    kind = forms.ChoiceField(choices=ReportKind.choices, required=False)
    version = forms.IntegerField(min_value=1, required=False)
    live = forms.BooleanField(required=False)

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or ReportKind.PERIODIC
