"""The Python-written widgets write what Django's widget templates write, character for character."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from unionportal.widgets import WidgetRenderer


class Everything(forms.Form):
    q = forms.CharField(label="Tìm", required=False, max_length=40)
    number = forms.IntegerField(min_value=5, required=False)
    email = forms.EmailField(required=False, help_text="help")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    kind = forms.ChoiceField(choices=[("", "Tất cả"), ("a&b", gettext_lazy("Members")), ("x", '"quoted" <b>')])
    grouped = forms.ChoiceField(choices=[("Nhóm <1>", [("1", "một"), ("2", "hai")]), ("3", "ba")])
    many = forms.MultipleChoiceField(choices=[("1", "một"), ("2", "hai"), ("3", "ba")], required=False)
    flag = forms.ChoiceField(choices=[("on", mark_safe("<i>safe</i>"))], disabled=True)


VALUES = [
    {},
    {"q": 'Nguyễn "A" <script>', "number": "7", "email": "a@b.vn", "hidden": "&", "day": "2025-09-05"},
    {"kind": "a&b", "grouped": "2", "many": ["1", "3"], "secret": "p<w", "number": "x"},
    {"kind": "nothing", "grouped": "3", "day": datetime.date(2024, 1, 2)},
]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("attrs", [None, {"class": "form-select form-select-sm", "data-x": True, "data-y": False}])
def test_every_widget_reads_as_the_templates_write_it(data, attrs):
    fast, slow = (
        Everything(data or None, renderer=WidgetRenderer()),
        Everything(data or None, renderer=DjangoTemplates()),
    )
    for name in fast.fields:
        assert str(fast[name].as_widget(attrs=attrs)) == str(slow[name].as_widget(attrs=attrs)), name


def test_the_renderer_is_the_one_of_every_form(settings):
    assert settings.FORM_RENDERER == "unionportal.widgets.WidgetRenderer"


def test_other_widgets_go_to_the_templates():
    class Other(forms.Form):
        pick = forms.ChoiceField(choices=[("1", "một"), ("2", 2)], widget=forms.RadioSelect)
        number_label = forms.ChoiceField(choices=[(1, 1234567)])
        text = forms.CharField(widget=forms.Textarea)

    fast, slow = Other(renderer=WidgetRenderer()), Other(renderer=DjangoTemplates())
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
