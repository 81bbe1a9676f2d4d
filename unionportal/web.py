"""What every app's views share: the allowed methods, service refusals on forms, pages of a list.

A view imports these, never another app's views (the contract `views-private` in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpResponseNotAllowed

from .concurrency import StaleEdit, stamp

PAGE_SIZE = 50


@dataclass(frozen=True)
class Section:
    """A part of a page that another app contributes through a hook: its template, given `panel` (the context)."""

    template: str
    context: dict = field(default_factory=dict)


def only_get(request) -> HttpResponseNotAllowed | None:
    """For read-only views that look their object up first, so an outsider's POST is a 404, not a 405."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def only_post(request) -> HttpResponseNotAllowed | None:
    """For actions that look their object up first, so an outsider's GET is a 404, not a 405."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def show_refusal(
    form: Form, error: ValidationError, *, seen_field: str = "seen", seen: Callable[[Any], Any] = stamp
) -> None:
    """Show a service's refusal on the form; after a stale edit, the form now carries the record's new version.

    The message of a StaleEdit says what the record reads now; saving the form again is then a
    deliberate overwrite of that, so the hidden field `seen_field` takes `seen(error.current)`.
    """
    add_service_errors(form, error)
    if isinstance(error, StaleEdit) and error.current is not None:
        form.data = form.data.copy()
        form.data[seen_field] = seen(error.current)
