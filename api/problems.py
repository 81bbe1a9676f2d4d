"""Every API error as problem details (RFC 9457, application/problem+json), with a Vietnamese `detail`.

    {"type": "urn:unionportal:problem:not-found", "title": "…", "status": 404, "detail": "…"}

A refused bulk write adds `errors`: each row's problem as the Excel import lists it (row,
column, header, value, code, message). The types are listed in docs/api.md.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:unionportal:problem:"


class Problem(exceptions.APIException):
    """An API error of ours: its type (a slug), status, title and detail, and any extra members."""

    def __init__(self, *, status_code: int, slug: str, title: str, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.slug = slug
        self.title = title
        self.extra = extra


def precondition_required() -> Problem:
    return Problem(
        status_code=status.HTTP_428_PRECONDITION_REQUIRED,
        slug="precondition-required",
        title=_("If-Match required"),
        detail=_(
            "A write needs the If-Match header with the ETag the object had when you read it: read it (GET) first, then send its ETag."
        ),
    )


def precondition_failed() -> Problem:
    return Problem(
        status_code=status.HTTP_412_PRECONDITION_FAILED,
        slug="precondition-failed",
        title=_("Changed since you read it"),
        detail=_(
            "Someone changed this since you read it: its ETag is no longer the one you sent. Read it again (GET), check the changes, then send the new ETag."
        ),
    )


def body_too_large(limit: int) -> Problem:
    return Problem(
        status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        slug="body-too-large",
        title=_("Request body too large"),
        detail=_("The body is larger than %(limit)s bytes, the most the API accepts. Send the rows in several calls.")
        % {"limit": f"{limit:,}".replace(",", ".")},
        limit=limit,
    )


def too_many_rows(count: int, limit: int) -> Problem:
    return Problem(
        status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        slug="too-many-rows",
        title=_("Too many rows"),
        detail=_("The call holds %(count)s rows; one call holds at most %(limit)s. Send the rows in several calls.")
        % {"count": f"{count:,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")},
        limit=limit,
    )


def rows_refused(errors: list[dict], rows: int) -> Problem:
    return Problem(
        status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        slug="rows-refused",
        title=_("Rows refused"),
        detail=_(
            "%(count)s problems in the %(rows)s rows sent: nothing was written. Correct every row listed in errors and send the call again."
        )
        % {"count": len(errors), "rows": rows},
        errors=errors,
    )


def invalid(errors: list[dict]) -> Problem:
    return Problem(
        status_code=status.HTTP_400_BAD_REQUEST,
        slug="invalid",
        title=_("Invalid values"),
        detail=_("Some values are not accepted: nothing was written. Correct the fields listed in errors."),
        errors=errors,
    )


def _field_errors(detail, prefix: str = "") -> list[dict]:
    """A serializer's errors, flattened to [{"field": …, "message": …}]."""
    if isinstance(detail, dict):
        return [
            e for key, value in detail.items() for e in _field_errors(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(detail, list):
        return [e for item in detail for e in _field_errors(item, prefix)]
    return [{"field": prefix or None, "message": str(detail)}]


def _drf_problem(exc: exceptions.APIException) -> tuple[str, str, str, dict]:
    """(slug, title, Vietnamese detail, extra members) for DRF's own exceptions."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not-authenticated", _("Token required"), _("Send a token in the header: Authorization: Bearer up_…"), {}
    if isinstance(exc, exceptions.AuthenticationFailed):
        return "authentication-failed", _("Token refused"), str(exc.detail), {}
    if isinstance(exc, exceptions.PermissionDenied):
        return (
            "permission-denied",
            _("Not allowed"),
            str(exc.detail)
            if exc.detail != exceptions.PermissionDenied.default_detail
            else _("Your roles do not allow this here."),
            {},
        )
    if isinstance(exc, exceptions.NotFound):
        detail = str(exc.detail)
        return (
            "not-found",
            _("Not found"),
            detail if detail != exceptions.NotFound.default_detail else _("Nothing is found at this address."),
            {},
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method-not-allowed", _("Method not allowed"), _("This address does not accept this method."), {}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return (
            "unsupported-media-type",
            _("Unsupported content type"),
            _("Send the body as JSON, with the header Content-Type: application/json."),
            {},
        )
    if isinstance(exc, exceptions.ParseError):
        return (
            "malformed-json",
            _("Malformed JSON"),
            _("The body is not valid JSON (%(problem)s). Check its quotes, commas and brackets.")
            % {"problem": exc.detail},
            {},
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return "not-acceptable", _("Not acceptable"), _("The API answers in JSON only: accept application/json."), {}
    if isinstance(exc, exceptions.Throttled):
        return (
            "too-many-requests",
            _("Too many requests"),
            _("Too many requests with this token: wait %(seconds)s seconds, then try again.")
            % {"seconds": exc.wait and int(exc.wait + 0.999)},
            {},
        )
    if isinstance(exc, exceptions.ValidationError):
        return (
            "invalid",
            _("Invalid values"),
            _("Some values are not accepted: nothing was written. Correct the fields listed in errors."),
            {"errors": _field_errors(exc.detail)},
        )
    return "error", _("Error"), str(exc.detail), {}


def problem_response(*, status_code: int, slug: str, title: str, detail: str, headers=None, **extra) -> Response:
    body = {"type": TYPE_PREFIX + slug, "title": title, "status": status_code, "detail": detail, **extra}
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def exception_handler(exc, context):
    """DRF's handler (the WWW-Authenticate and Retry-After headers, the rollback), with our body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Problem):
        slug, title, detail, extra = exc.slug, exc.title, str(exc.detail), exc.extra
    else:
        slug, title, detail, extra = _drf_problem(exc)
    headers = {key: value for key, value in response.items() if key in ("WWW-Authenticate", "Retry-After", "Allow")}
    return problem_response(
        status_code=response.status_code, slug=slug, title=title, detail=detail, headers=headers, **extra
    )


def not_found_response() -> HttpResponse:
    """For an address under /api/ that names no resource (no DRF view to answer it)."""
    body = {
        "type": TYPE_PREFIX + "not-found",
        "title": _("Not found"),
        "status": 404,
        "detail": _("Nothing is found at this address."),
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=404, content_type=PROBLEM_JSON)
