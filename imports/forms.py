from django import forms
from django.utils.translation import gettext_lazy as _

from unionportal.spreadsheets.errors import SpreadsheetError
from unionportal.spreadsheets.reader import check_size


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The first sheet is read; its first row must hold the template's headers."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except SpreadsheetError as problem:
            raise forms.ValidationError(problem.error.message)
        return upload
