"""Forms of the workflow's decisions: a comment, required or not, and a waiver's reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WaiverForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
