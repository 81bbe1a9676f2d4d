"""The dashboards' statements compiled before a new app-server worker answers anyone.

A base union's dashboard, and a district's table of its base unions, measure their figures live
through statements compiled once per process and kept in the shared cache for the other workers
(indicators/engine/compiled.py). Without a warm-up the first page of each program after a deploy
paid that compiling (80–150 ms more on the 2-core test machine), and each worker's first page its
templates (about 25 ms): the slowest pages of a load test, and the first visitor's wait.

Received on `unionportal.worker_started` (unionportal/warmup.py, gunicorn's post_worker_init):
for each program, latest first (at most MAX_PROGRAMS), at the period its page opens on
(selectors.default_period), the report of one active base union of its scope at each depth base
unions have there, and of the body above each, computed and dropped — reads only: a page's own
cache is keyed by the figures' generations and is left alone. The dashboard's templates are
compiled first. The first worker compiles; the others read the statements from the cache.

Bounded: no report is started after SECONDS (a worker accepts no request while it warms up, and
at a restart every worker warms up at once); what is left compiles on its first visit, as before.
"""

from __future__ import annotations

import time

from django.template.loader import get_template

from organizations.models import Organization
from programs.models import Program

from . import selectors
from .data import build_report

MAX_PROGRAMS = 20
SECONDS = 3.0
TEMPLATES = ("reports/dashboard.html", "reports/_dashboard_body.html", "reports/_header.html")


def warm_dashboards(seconds: float = SECONDS) -> None:
    for name in TEMPLATES:
        get_template(name)
    ends = time.monotonic() + seconds
    for program in Program.objects.select_related("scope").order_by("-end_year", "code")[:MAX_PROGRAMS]:
        if time.monotonic() > ends:
            return
        if (period := selectors.default_period(program)) is None:
            continue
        for body in _bodies(program.scope):
            if time.monotonic() > ends:
                return
            build_report(body, program, period)


def _bodies(scope: Organization) -> list[Organization]:
    """The base unions of `_one_base_union_per_depth`, each followed by the body above it within the scope."""
    bodies = []
    for base in _one_base_union_per_depth(scope):
        bodies.append(base)
        if (parent := base.parent()) is not None and parent.path.startswith(scope.path):
            bodies.append(parent)
    return bodies


def _one_base_union_per_depth(scope: Organization) -> list[Organization]:
    """An active base union of the subtree at each depth base unions have there (their paths' length
    is what the compiled statements group by), the first by path."""
    below = Organization.objects.within(scope).base().active().select_related("level")
    depths = below.order_by("depth").values_list("depth", flat=True).distinct()
    return [found for depth in depths if (found := below.filter(depth=depth).order_by("path").first())]
