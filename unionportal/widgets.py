"""The form renderer: Django's, with its commonest widgets written in Python.

Django renders a widget through three templates (the widget's, input.html, attrs.html), and a select
through one include per option and one more per option's attributes: the filter bar of a list costs
some 2 ms a field. `WidgetRenderer` writes the same markup, character for character (asserted
against Django's templates in tests/unionportal/test_widget_renderer.py), for the text-like inputs and
the select; any other template, or a value it would not write the same way, goes to Django's templates.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "search", "tel", "date")
)
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"


class Unwritten(Exception):
    """A value the Python writer does not render as the template would: the template renders it."""


def _text(value) -> str:
    """`{{ value }}` of a string, or `{{ value|stringformat:'s' }}` of anything."""
    return value if isinstance(value, SafeData) else escape(value)


def _label(value) -> str:
    """`{{ label }}`: localized unless a string, so anything but a string goes to the template."""
    if not isinstance(value, str | Promise):
        raise Unwritten
    return _text(value)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_label(name)}" if value is True else f' {_label(name)}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_label(widget["type"])}" name="{_label(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str:
    parts = [f'<select name="{_label(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                raise Unwritten
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_label(option["label"])}</option>\n'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class WidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = _input if template_name in INPUTS else _select if template_name == SELECT else None
        if write is not None and "widget" in context:
            try:
                return write(context["widget"])  # every value escaped above; Widget.render marks it safe
            except Unwritten:
                pass
        return super().render(template_name, context, request)
