"""The SQL of one indicator's parts for one window, compiled once per process.

A base union's dashboard measures every indicator of its program for every year of the program
live (a base union has no rollups): some 270 grouped querysets a page, one per indicator × year ×
part, sent as one UNION ALL (series._union_many). Building and compiling those querysets with the
ORM was most of the page's CPU, every time, although they differ from one base union (or one
refresh) to the next only by the subtree's path. Here each is compiled once, with a stand-in for
the subtree's path, and each use swaps its own path into the parameters.

The key holds everything the SQL is built from: the indicator's own fields (its measure, element,
level, sectors, kinds, rules …), its program's first year where the measure reads it, the window
(dates and the periods whose reported figures count), the length of the grouping prefix and
whether a subtree is given. Levels and elements are referred to by id, which never changes
meaning. The store is bounded: past MAX_ENTRIES it starts again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from ..models import Indicator
from .compute import _path_of, _within, coverage_counts
from .specs import Spec, spec_for
from .window import Window

MAX_ENTRIES = 20_000
# Stands for the subtree's path in the compiled parameters: no character LIKE escapes, never a real path (digits).
STAND_IN = "~subtree~"

Statement = tuple[str, tuple]


@dataclass(frozen=True)
class Compiled:
    """The grouped statements of one indicator and window: (sql, params), each selecting `key` and its values."""

    numerator: Statement
    denominator: Statement | None
    coverage: Statement | None  # expected, reported


class _StandIn:
    path = STAND_IN


_store: dict[tuple, Compiled | None] = {}
_lock = threading.Lock()


def _key(indicator: Indicator, span: Window, length: int, within: bool) -> tuple:
    fields = tuple(repr(getattr(indicator, field.attname)) for field in indicator._meta.concrete_fields)
    first_year = indicator.program.start_year if indicator.trained_within_program else None
    return (connection.vendor, fields, first_year, span.start, span.end, tuple(span.periods), length, within)


def compiled(indicator: Indicator, span: Window, *, length: int, within) -> Compiled | None:
    """The statements of `indicator` over `span`, grouped by the first `length` characters of the path,
    within the subtree of `within` (None: everywhere); None for a measure with nothing to compute."""
    key = _key(indicator, span, length, within is not None)
    try:
        found = _store[key]
    except KeyError:
        spec = spec_for(indicator, span)
        found = _compile(spec, length=length, within=within is not None) if spec is not None else None
        with _lock:
            if len(_store) >= MAX_ENTRIES:
                _store.clear()
            _store[key] = found
    if found is None or within is None:
        return found
    return Compiled(
        *(
            _swap(statement, within.path) if statement else None
            for statement in (found.numerator, found.denominator, found.coverage)
        )
    )


def _swap(statement: Statement, path: str) -> Statement:
    pattern, actual = f"{STAND_IN}%", f"{connection.ops.prep_for_like_query(path)}%"
    sql, params = statement
    return sql, tuple(actual if param == pattern else param for param in params)


def _compile(spec: Spec, *, length: int, within: bool) -> Compiled:
    subtree = _StandIn() if within else None

    def grouped(queryset: QuerySet, summed: str | None) -> Statement:
        path = _path_of(spec, queryset)
        if subtree is not None:
            queryset = _within(queryset, path, subtree)
        aggregate = Sum(summed) if summed else Count(spec.distinct or "pk", distinct=bool(spec.distinct))
        query = queryset.annotate(key=Substr(path, 1, length)).values("key").annotate(v=aggregate).order_by()
        return _sql(query.values("key", "v"))

    def covered() -> Statement:
        units = _within(spec.units, "path", subtree) if subtree is not None else spec.units
        query = units.annotate(key=Substr("path", 1, length)).values("key").annotate(**coverage_counts(spec))
        return _sql(query.order_by().values("key", "expected", "reported"))

    return Compiled(
        numerator=grouped(spec.numerator, spec.numerator_sum),
        denominator=grouped(spec.denominator, spec.denominator_sum) if spec.denominator is not None else None,
        coverage=covered() if spec.units is not None else None,
    )


def _sql(queryset: QuerySet) -> Statement:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)
