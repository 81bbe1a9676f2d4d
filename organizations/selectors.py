"""Reads of the hierarchy, always through the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Length, Substr

from .models import (
    Level,
    OperationKind,
    Organization,
    OrganizationStatus,
    RestructuringLink,
    Sector,
    Workplace,
)
from .permissions import scope_for
from .rollups import count_by_child


def organizations_for_user(user) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_for(user).q("path")).select_related("level")


def workplaces_for_user(user) -> QuerySet[Workplace]:
    scope = scope_for(user)
    return Workplace.objects.filter(scope.q("upper_union__path") | scope.q("branch__path")).select_related(
        "upper_union", "branch"
    )


def tree_roots(user) -> list[Organization]:
    """The tops of the user's subtrees, read once a request (kept on the scope, which lives as long as
    the request's user): a list page asks for them twice, for its ?under= and for its filter bar."""
    scope = scope_for(user)
    roots = scope.tree_roots
    if roots is None:
        if scope.is_superuser:
            roots = list(Organization.objects.filter(depth=1).select_related("level"))
        else:
            roots = list(Organization.objects.filter(path__in=scope.root_paths).select_related("level"))
        scope.tree_roots = roots
    return list(roots)


def issuing_body(user, under: Organization | None = None) -> str:
    """The body a file written for `user` comes from, named as its author: `under` when the file is
    about one body, else the top of the user's subtrees; the top of the tree for a superuser or for
    a command run without a user."""
    if under is not None:
        return under.name
    if user is None:
        top = Organization.objects.filter(depth=1).order_by("path").first()
    else:
        top = min(tree_roots(user), key=lambda organization: organization.path, default=None)
    return top.name if top is not None else ""


@dataclass(frozen=True)
class TreeNode:
    organization: Organization
    base_branches: int  # active base branches in its subtree
    has_children: bool


def tree_children(parent: Organization, *, include_inactive: bool = False) -> list[TreeNode]:
    """The children of `parent`, each with the number of active branches below it (two queries)."""
    children = Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if not include_inactive:
        children = children.active()
    branches = count_by_child(Organization.objects.base().active(), parent)
    return [
        TreeNode(
            organization=child,
            # count_by_child counts each child's whole subtree, the child itself included.
            base_branches=branches.get(child.path, 0),
            has_children=child.numchild > 0,
        )
        for child in children.select_related("level")
    ]


def organization_search(user, text: str, limit: int = 50) -> list[Organization]:
    text = text.strip()
    if not text:
        return []
    return list(
        organizations_for_user(user)
        .filter(Q(name__icontains=text) | Q(code__icontains=text) | Q(short_name__icontains=text))
        .order_by("path")[:limit]
    )


def ancestors_in_scope(user, organization: Organization) -> list[Organization]:
    """The breadcrumb: ancestors the user may see (a district officer does not see the province)."""
    scope = scope_for(user)
    return [a for a in organization.ancestors() if scope.sees(a)]


def branch_counts_by_sector(queryset: QuerySet[Organization]) -> dict[str, int]:
    rows = queryset.filter(level__code=Level.BASE).values("sector").annotate(n=Count("pk")).order_by()
    counts = {row["sector"]: row["n"] for row in rows}
    return {sector: counts.get(sector, 0) for sector in Sector.values}


def organization_history(organization: Organization) -> list[RestructuringLink]:
    """Every operation the organization took part in, with the other participants."""
    return list(
        RestructuringLink.objects.filter(organization=organization)
        .select_related("operation", "operation__performed_by", "previous_parent", "new_parent")
        .prefetch_related(
            Prefetch(
                "operation__links",
                queryset=RestructuringLink.objects.select_related("organization"),
            )
        )
        .order_by("operation__effective_date", "operation_id")
    )


@dataclass(frozen=True)
class WorkplaceTotals:
    count: int
    workers: int
    female_workers: int
    unionized: int


def workplace_totals(queryset: QuerySet[Workplace]) -> WorkplaceTotals:
    row = queryset.aggregate(
        count=Count("pk"),
        workers=Sum("worker_count"),
        female_workers=Sum("female_worker_count"),
        unionized=Count("pk", filter=Q(branch__isnull=False, branch__status=OrganizationStatus.ACTIVE)),
    )
    return WorkplaceTotals(
        count=row["count"] or 0,
        workers=row["workers"] or 0,
        female_workers=row["female_workers"] or 0,
        unionized=row["unionized"] or 0,
    )


def attach_parents(organizations) -> None:
    """Give each organization its parent as `.parent_org`, with one query for the whole page."""
    steplen = Organization.steplen
    paths = {o.path[:-steplen] for o in organizations if o.depth > 1}
    parents = {p.path: p for p in Organization.objects.filter(path__in=paths)}
    for organization in organizations:
        organization.parent_org = parents.get(organization.path[:-steplen])


def predecessors_of(organization: Organization) -> list[Organization]:
    """The ended bodies this one took over: merged into it, or that handed it their units when they ended."""
    merged = RestructuringLink.objects.filter(
        new_parent=organization, role=RestructuringLink.SOURCE, operation__kind=OperationKind.MERGE
    ).values("organization")
    handed = RestructuringLink.objects.filter(
        new_parent=organization, role=RestructuringLink.SOURCE, operation__kind=OperationKind.MOVE
    ).values("previous_parent")
    return list(
        Organization.objects.filter(Q(pk__in=merged) | Q(pk__in=handed))
        .exclude(status=OrganizationStatus.ACTIVE)
        .select_related("level")
        .order_by("dissolved_on", "code")
    )


def inherited(scope, code: str) -> Organization | None:
    """An ended body (`code`) that a body in the user's scope took over — or one below such a body:
    its history is the successor's, to read (issue 16). None otherwise; one query, only for a code
    the scope does not hold."""
    if not scope.grants:
        return None
    ended = [status for status in OrganizationStatus.values if status != OrganizationStatus.ACTIVE]
    # A link whose ended body (merged away, or handing its units over) is the body asked or one above it:
    # that body's path is the head of the path asked.
    links = (
        RestructuringLink.objects.filter(role=RestructuringLink.SOURCE)
        .filter(scope.q("new_parent__path"))
        .annotate(
            merged_head=Substr(OuterRef("path"), 1, Length("organization__path")),
            handed_head=Substr(OuterRef("path"), 1, Length("previous_parent__path")),
        )
        .filter(
            Q(operation__kind=OperationKind.MERGE, organization__status__in=ended, organization__path=F("merged_head"))
            | Q(
                operation__kind=OperationKind.MOVE,
                previous_parent__status__in=ended,
                previous_parent__path=F("handed_head"),
            )
        )
    )
    return (
        Organization.objects.filter(code=code, status__in=ended).filter(Exists(links)).select_related("level").first()
    )
