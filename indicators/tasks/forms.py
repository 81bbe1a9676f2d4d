from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import TaskStatus
from ..models.task import RESULT_MAX_CHARS


class TaskReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *TaskStatus.choices])
    result = forms.CharField(
        label=_("Result"),
        required=False,
        max_length=RESULT_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": RESULT_MAX_CHARS}),
        help_text=_("What was done, in a few sentences; attach the documents as evidence."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, Word, Excel, JPG or PNG, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"}),
    )
