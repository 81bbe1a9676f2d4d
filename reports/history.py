"""Reports on both sides of a restructuring: the tree as it was for the periods that ended before it.

`tree_seal` is the receiver of `organizations.tree_changing`, fired in a restructuring's
transaction before anything moves. For every period that ended before the effective date it keeps
the rollups of each body whose subtree or parent changes — and of every body above them — as they
are (`Rollup.sealed`: computed on this tree, never written again by a refresh), and records each
one's parent and children (`TreeSeal`). `report_basis` reads that back for a report: the children and
the parent the body had, the bodies of its subtree then, and the words that say which tree a period
rests on. A period that spans the date is computed on the new tree and says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, JSONField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from indicators.models import Indicator, Measure, ReportingPeriod
from organizations.models import Level, Organization
from organizations.selectors import predecessors_of
from programs.models import Program
from unionportal.web import Section

from .models import Rollup, ScopeSeal, TreeSeal
from .rollups import refresh, stored_organizations

BEFORE, SPANS = "before", "spans"


def _chains(bodies: Sequence[Organization]) -> set[str]:
    """The paths of these bodies and of every body above them."""
    return {path for body in bodies for path in Organization.lineage(body.path)}


def _children_by_parent(paths: set[str]) -> dict[str, list[int]]:
    """{parent path: ids of every body directly below it}, for many parents in one query (a range of
    the path index for each)."""
    steplen = Organization.steplen
    found: dict[str, list[int]] = {path: [] for path in paths}
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path, depth=len(path) // steplen + 1)
    for pk, path in Organization.objects.filter(condition).order_by("path").values_list("pk", "path"):
        found[path[:-steplen]].append(pk)
    return found


def _complete(stored: list[Organization], periods: list[ReportingPeriod], until: datetime.date) -> None:
    """Compute, on the tree as it is, the rollups of these bodies and periods that were never computed:
    once sealed, a missing one could only be computed on the new tree. A body founded on the date
    (a successor) had nothing before it: its rows are zeros, written without a computation."""
    indicators = list(Indicator.objects.exclude(measure=Measure.QUALITATIVE).values_list("pk", flat=True))
    if not indicators:
        return
    counts = dict(
        Rollup.objects.filter(organization__in=stored, period__in=periods)
        .values_list("organization_id")
        .annotate(n=Count("id"))
    )
    missing = [o for o in stored if counts.get(o.pk, 0) < len(indicators) * len(periods)]
    new = [o for o in missing if o.founded_on and o.founded_on >= until]
    Rollup.objects.bulk_create(
        [Rollup(indicator_id=i, organization=o, period=p) for o in new for i in indicators for p in periods],
        batch_size=2000,
        ignore_conflicts=True,
    )
    missing = sorted((o for o in missing if o not in new), key=lambda o: (o.depth, o.path))
    done: list[str] = []
    for organization in missing:
        if not any(organization.path.startswith(path) for path in done):
            refresh(within=organization, periods=periods, pass_up=False)
            done.append(organization.path)


def tree_seal(
    *, bodies: Sequence[Organization], parents: Sequence[Organization], effective_date: datetime.date
) -> None:
    """Receiver of organizations.tree_changing: keep the tree of the periods before the date (see above).

    `bodies` change their parent or end; `parents` receive bodies. Their chains up to the root have
    their children recorded; the bodies that only move keep their subtree and record their parent.
    A seal already made for a body and date is kept: it is the tree before the first change that day.
    """
    periods = list(ReportingPeriod.objects.filter(end_on__lt=effective_date))
    if not periods or not (bodies or parents):
        return
    fresh = {o.pk: o for o in Organization.objects.filter(pk__in=[o.pk for o in [*bodies, *parents]])}
    bodies = [fresh[o.pk] for o in bodies if o.pk in fresh]
    parents = [fresh[o.pk] for o in parents if o.pk in fresh]
    body_paths = {o.path for o in bodies}
    # Above a moving body, the subtree changes; the body itself keeps its own (unless it also
    # receives or loses bodies, which puts it in a chain through another body or a parent).
    chain_paths = _chains(parents) | {path for body in bodies for path in _chains([body]) if path != body.path}
    everyone = {o.path: o for o in Organization.objects.filter(path__in=chain_paths | body_paths)}
    stored_ids = set(
        stored_organizations().filter(pk__in=[o.pk for o in everyone.values()]).values_list("pk", flat=True)
    )
    stored = [o for o in everyone.values() if o.pk in stored_ids]
    _complete(stored, periods, effective_date)
    Rollup.objects.filter(organization__in=stored, period__in=periods, sealed=False).update(sealed=True)
    children = _children_by_parent(chain_paths)
    steplen = Organization.steplen
    existing = {
        seal.organization_id: seal
        for seal in TreeSeal.objects.filter(organization__in=everyone.values(), until=effective_date)
    }
    new, filled = [], []
    for path, organization in everyone.items():
        kids = children.get(path) if path in chain_paths else None
        seal = existing.get(organization.pk)
        if seal is None:
            # Every body's chain is in `everyone`: its parent too.
            parent = everyone[path[:-steplen]].pk if len(path) > steplen else None
            new.append(TreeSeal(organization=organization, until=effective_date, parent_id=parent, children=kids))
        elif seal.children is None and kids is not None:
            seal.children = kids
            filled.append(seal)
    TreeSeal.objects.bulk_create(new, batch_size=2000)
    TreeSeal.objects.bulk_update(filled, ["children"], batch_size=2000)
    scoped = Program.objects.filter(scope__in=everyone.values()).values_list("pk", "scope_id")
    ScopeSeal.objects.bulk_create(
        [ScopeSeal(program_id=pk, scope_id=scope, until=effective_date) for pk, scope in scoped],
        ignore_conflicts=True,  # the scope before the first change of the day
    )


@dataclass(frozen=True)
class Basis:
    """Which tree a report of one body and period rests on."""

    kind: str = ""  # BEFORE: the tree before a restructuring on `date`; SPANS: the new tree, the period spans `date`
    date: datetime.date | None = None
    parent: Organization | None = None
    children: list[Organization] | None = None  # the children then (None: the body's children now)
    exact: tuple[str, ...] = ()  # BEFORE: the subtree then is these bodies…
    prefixes: tuple[str, ...] = ()  # …and everything below these paths
    scope_id: int | None = None  # BEFORE, asked with a program: its scope then, if a restructuring moved it since

    def subtree(self, field: str = "path") -> Q:
        """The bodies of the subtree the report counts, as a filter on `field` (an organization's path)."""
        condition = Q(**{f"{field}__in": self.exact}) if self.exact else Q(pk__in=[])
        for prefix in self.prefixes:
            condition |= Q(**{f"{field}__startswith": prefix})
        return condition

    def as_dict(self) -> dict:
        return {"kind": self.kind, "date": self.date.isoformat()} if self.kind else {}


def _active_then(bodies: list[Organization], until: datetime.date) -> list[Organization]:
    """The bodies among these that were active just before `until` (below-base ones left out), in their order."""
    return [
        body
        for body in bodies
        if (body.founded_on is None or body.founded_on < until)
        and (body.dissolved_on is None or body.dissolved_on >= until)
        and body.level.code != Level.BELOW_BASE
    ]


def _seal_children(period: ReportingPeriod) -> Subquery:
    """The children a body had at the end of the period, as its earliest seal after the period recorded
    them (NULL: no seal, or a seal of a body that only moved — its subtree then is its subtree now)."""
    seals = TreeSeal.objects.filter(organization=OuterRef("pk"), until__gt=period.end_on).order_by("until")
    return Subquery(seals.values("children")[:1], output_field=JSONField())


def _subtree(
    organization: Organization, children: list[int], period: ReportingPeriod
) -> tuple[list[str], list[str], list[Organization]]:
    """(exact paths, path prefixes) of the body's subtree at the end of the period, whose children then
    were `children` (ids), and those children: one query a level, each body read with its own seal's children."""
    exact, prefixes, first = [organization.path], [], None
    below = children
    while below:
        level = list(
            Organization.objects.filter(pk__in=below)
            .select_related("level")
            .annotate(children_then=_seal_children(period))
            .order_by("code")
        )
        first = level if first is None else first
        below = []
        for body in level:
            if body.children_then is None:
                prefixes.append(body.path)
            else:
                exact.append(body.path)
                below += body.children_then
    return exact, prefixes, first or []


def report_basis(organization: Organization, period: ReportingPeriod, program: Program | None = None) -> Basis:
    """The tree a report of this body and period rests on (read only; see the module's docstring).
    With a program, its scope then is read in the same query (Basis.scope_id)."""
    latest = organization.restructured_on  # the latest restructuring of the body: no query unless after the period
    if latest is None or latest <= period.start_on:
        return Basis()
    if latest <= period.end_on:
        return Basis(kind=SPANS, date=latest)
    seals = TreeSeal.objects.filter(organization=organization, until__gt=period.start_on)
    if program is not None:
        scopes = ScopeSeal.objects.filter(program=program, until__gt=period.end_on).order_by("until")
        seals = seals.annotate(scope_then=Subquery(scopes.values("scope_id")[:1]))
    seals = list(seals.select_related("parent__level").order_by("until"))
    seal = next((seal for seal in seals if seal.until > period.end_on), None)
    if seal is not None:
        exact, prefixes, children = (
            _subtree(organization, seal.children, period)
            if seal.children is not None
            else ([], [organization.path], [])
        )
        return Basis(
            kind=BEFORE,
            date=seal.until,
            parent=seal.parent,
            children=_active_then(children, seal.until) if seal.children is not None else None,
            exact=tuple(exact),
            prefixes=tuple(prefixes),
            scope_id=getattr(seal, "scope_then", None),
        )
    if seals:  # every one falls inside the period: the latest names the tree used
        return Basis(kind=SPANS, date=seals[-1].until)
    return Basis()


def basis_sentence(basis: dict) -> str:
    """What the page and the PDF say of the tree a report rests on ("" for a report on the only tree)."""
    if not basis:
        return ""
    day = datetime.date.fromisoformat(basis["date"]).strftime("%d/%m/%Y")
    if basis["kind"] == BEFORE:
        return _(
            "Figures computed on the organization as it was before the restructuring of %(date)s: "
            "the period ended before it, so its report keeps the bodies and figures it had then."
        ) % {"date": day}
    return _(
        "The period includes the restructuring of %(date)s: figures are computed on the organization after it, "
        "because members, base unions and workplaces are counted at the end of the period."
    ) % {"date": day}


def predecessors_section(*, organization: Organization, user) -> Section | None:
    """A successor's page names the bodies it took over, each with its reports (read-only)."""
    predecessors = predecessors_of(organization)
    if not predecessors:
        return None
    return Section(template="reports/_predecessors.html", context={"predecessors": predecessors})
