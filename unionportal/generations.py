"""Generations of the figures: what a cached page's key is made of, so that no write leaves it stale.

A page computed from the figures (a dashboard) may be kept in Django's cache under a key that holds
the generations it was computed at; a write that changes figures bumps the generations it touches,
after its transaction commits, and the next request computes afresh under the new key. Nothing is
ever deleted: an old entry is simply never asked for again and expires.

Four kinds, each a token in the cache that a bump replaces, the first three for one program's figures:
- `own:<path>:<program>` — the figures of one body (its rollups) changed;
- `deep:<path>:<program>` — anything in the body's subtree may have changed (a refresh within it);
- `frozen:<path>:<program>` — a report of the body was frozen (accepted): its dashboard shows that version;
- `all` — anything anywhere (a full refresh, a new period, targets, tasks, programs, a restructuring).

A refresh within W bumps own[W], own[every ancestor of W] and deep[W], for the programs of the
indicators it recomputed; one that knows which bodies of W were typed (a grid's rows) bumps the same
for each of those instead of W, so a base union's page stays cached while its siblings are typed. A
page about X (its figures and its children's) reads own[X], deep[X and every ancestor of X] for its
program, and `all`: a sibling subtree's refresh, or another program's, moves none of them; a refresh
above or below X moves one.

A page's stamp (`key_for`) comes in two parts: `settled` (`all`, `frozen`) and `figures` (`own`, `deep`).
Only the second moves with the figures typed in the grid; a page may choose to serve a copy computed a
few seconds earlier under the same `settled` part (reports/views/dashboard.py, REPORT_STALE_SECONDS),
never one from before a restructuring, a target, a task or an acceptance.

A token is the clock in nanoseconds and a random part: a bump, or a token missing (never bumped, or
evicted), takes a value no earlier entry can have used, so an eviction never brings an old entry back.
A bump of all the names a write touches is one `set_many`, one round trip (an increment per name took
two each: ~5 ms a saved cell). The cache must be shared
by every process that writes or reads (settings.REPORT_CACHE_SECONDS is 0, caching off, unless a
shared cache is configured: see settings/base.py).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

PREFIX = "gen:"
EVERYTHING = "all"


def enabled() -> bool:
    return getattr(settings, "REPORT_CACHE_SECONDS", 0) > 0


def _paths_up(path: str, steplen: int) -> list[str]:
    """The path of a body and of each of its ancestors (a materialized path: prefixes of `steplen`)."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def _token() -> str:
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


def _bump(names: Iterable[str]) -> None:
    cache.set_many({PREFIX + name: _token() for name in names}, timeout=None)


def _bump_twice(names: list[str]) -> None:
    if names:
        _bump(names)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump(names))


def bump_after_commit(
    *, within: Iterable[str] = (), programs: Iterable[int] = (), everything: bool = False, steplen: int = 4
) -> None:
    """The figures of these programs in the subtrees at these paths (and their ancestors' sums) changed;
    `everything`: any figure may have.

    Bumped now, for the reads of the caller's own transaction, and again once it commits: a request
    of another connection between the two reads the old figures and may cache them under the first
    new generation, never under the second."""
    if not enabled():
        return
    names = {EVERYTHING} if everything else set()
    programs = list(programs)
    for path in within:
        for program in programs:
            names.add(f"deep:{path}:{program}")
            names.update(f"own:{up}:{program}" for up in _paths_up(path, steplen))
    _bump_twice(sorted(names))


def bump_frozen_after_commit(*, path: str, program: int) -> None:
    """A report of one body and program was frozen: bumped now and after the commit, as above."""
    if enabled():
        _bump_twice([f"frozen:{path}:{program}"])


@dataclass(frozen=True)
class Stamp:
    """The generations a page is computed at: what no copy may be older than, and the figures'."""

    settled: str
    figures: str

    def __str__(self) -> str:
        return f"{self.settled}/{self.figures}"


def key_for(path: str, program: int, steplen: int = 4) -> Stamp | None:
    """The generations a page about the body at `path` and a program is computed at, for its cache key
    (None if the cache cannot hold them: then the page is not cached)."""
    settled = [EVERYTHING, f"frozen:{path}:{program}"]
    names = [*settled, f"own:{path}:{program}", *(f"deep:{up}:{program}" for up in _paths_up(path, steplen))]
    keys = [PREFIX + name for name in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _token(), timeout=None)
        found.update(cache.get_many(missing))
    if any(key not in found for key in keys):
        return None
    values = [str(found[key]) for key in keys]
    return Stamp(settled=".".join(values[: len(settled)]), figures=".".join(values[len(settled) :]))
