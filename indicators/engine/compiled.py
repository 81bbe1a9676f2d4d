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
meaning. The store is bounded: past MAX_ENTRIES it starts again. Behind it, the shared cache keeps
what any process compiled, under a version of this code, Django and the models' columns.

On PostgreSQL, `window_free` goes one step further for the many years of one indicator: the
statements are compiled twice with made-up windows, and where the two differ only by the windows'
dates and period, those parameters become the columns `w_.s`, `w_.e` and `w_.period` of a row the
caller joins (CROSS JOIN LATERAL over the periods' VALUES): one subquery for all the years instead
of one per year, which PostgreSQL plans once. Anything else that differs (a measure reading more of
its window) and the statements stay per window.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.core.cache import cache
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

    def build() -> Compiled | None:
        spec = spec_for(indicator, span)
        return _compile(spec, length=length, within=within is not None) if spec is not None else None

    return _in_subtree(_remembered(_key(indicator, span, length, within is not None), build), within)


def _in_subtree(found: Compiled | None, within) -> Compiled | None:
    if found is None or within is None:
        return found
    return Compiled(
        *(
            _swap(statement, within.path) if statement else None
            for statement in (found.numerator, found.denominator, found.coverage)
        )
    )


_NOTHING = "nothing to compute"  # what the shared cache holds for None


def _remembered(key: tuple, build) -> Compiled | None:
    """From this process's store; else from the shared cache (another worker compiled it: a worker
    that starts, or restarts after --max-requests, does not compile every page's statements again);
    else built, and kept in both."""
    try:
        return _store[key]
    except KeyError:
        pass
    shared = f"engine-sql:{_version()}:" + hashlib.sha256(repr(key).encode()).hexdigest()
    found = cache.get(shared)
    if found is None:
        found = build()
        cache.set(shared, _NOTHING if found is None else found, SHARED_SECONDS)
    elif found == _NOTHING:
        found = None
    with _lock:
        if len(_store) >= MAX_ENTRIES:
            _store.clear()
        _store[key] = found
    return found


SHARED_SECONDS = 24 * 3600


@functools.cache
def _version() -> str:
    """What the compiled SQL is made from besides the key: this engine's code, Django, and the columns
    of every model (a deployment that changes any of them never reads another's statements)."""
    digest = hashlib.sha256(django.get_version().encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    for model in apps.get_models():
        columns = [(field.column, field.get_internal_type()) for field in model._meta.concrete_fields]
        digest.update(repr((model._meta.db_table, columns)).encode())
    return digest.hexdigest()[:16]


# Two made-up windows, never a real period's: where the statements differ exactly by these, those are the window.
_MADE_UP = (
    Window(datetime.date(1901, 2, 3), datetime.date(1902, 3, 4), (-900_001,)),
    Window(datetime.date(1903, 4, 5), datetime.date(1904, 5, 6), (-900_002,)),
)
_COLUMNS = (("start", "w_.s"), ("end", "w_.e"), ("period", "w_.period"))
_PLACEHOLDER = re.compile(r"%[s%]")


def window_free(indicator: Indicator, *, length: int, within) -> Compiled | None:
    """The statements of `indicator` with its window's start, end and period read from the row `w_`
    (s, e, period) rather than from parameters; None where that is not possible (not PostgreSQL, no
    computation, or a measure whose statements depend on more of its window)."""
    if connection.vendor != "postgresql":
        return None
    key = ("window-free", *_key(indicator, _MADE_UP[0], length, within is not None)[:3], length, within is not None)
    return _in_subtree(
        _remembered(key, lambda: _window_free(indicator, length=length, within=within is not None)), within
    )


def _window_free(indicator: Indicator, *, length: int, within: bool) -> Compiled | None:
    specs = [spec_for(indicator, window) for window in _MADE_UP]
    if specs[0] is None or specs[1] is None:
        return None
    first, second = (_compile(spec, length=length, within=within) for spec in specs)
    parts = []
    for a, b in zip(
        (first.numerator, first.denominator, first.coverage),
        (second.numerator, second.denominator, second.coverage),
        strict=True,
    ):
        if (a is None) != (b is None):
            return None
        part = _joined(a, b) if a is not None else None
        if a is not None and part is None:
            return None
        parts.append(part)
    return Compiled(*parts)


def _joined(a: Statement, b: Statement) -> Statement | None:
    """`a` with each parameter that is the first made-up window's (and `b`'s the second's) replaced by its column."""
    if a[0] != b[0] or len(a[1]) != len(b[1]):
        return None
    columns = {
        (
            getattr(_MADE_UP[0], name) if name != "period" else _MADE_UP[0].periods[0],
            getattr(_MADE_UP[1], name) if name != "period" else _MADE_UP[1].periods[0],
        ): column
        for name, column in _COLUMNS
    }
    pieces, params, at, index = [], [], 0, 0
    for match in _PLACEHOLDER.finditer(a[0]):
        pieces.append(a[0][at : match.start()])
        at = match.end()
        if match.group() == "%%":
            pieces.append("%%")
            continue
        first, second = a[1][index], b[1][index]
        index += 1
        if first == second:
            pieces.append("%s")
            params.append(first)
        elif (column := columns.get((_plain(first), _plain(second)))) is not None:
            pieces.append(column)
        else:
            return None  # the statements read more of the window than its dates and its one period
    pieces.append(a[0][at:])
    return "".join(pieces), tuple(params)


def _plain(value):
    return value if isinstance(value, datetime.date | int) and not isinstance(value, bool) else None


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
