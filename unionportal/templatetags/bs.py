"""Bootstrap classes on Django's widgets, so forms are styled on the server (no script needed)."""

from django import forms, template

register = template.Library()


@register.filter
def bs(field, extra: str = ""):
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if extra:
        css = f"{css} {extra}"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
