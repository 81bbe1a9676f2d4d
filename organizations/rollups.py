"""Per-child rollups over the materialized path, in one GROUP BY and no recursion.

Every descendant of `parent` carries, as the first (parent.depth + 1) * steplen
characters of its path, the path of the child of `parent` it lies under. Grouping
on that prefix counts or sums a whole level of the tree in one query.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from .models import Organization


def child_prefix(parent: Organization, path_field: str = "path") -> Substr:
    return Substr(path_field, 1, (parent.depth + 1) * Organization.steplen)


def count_by_child(queryset: QuerySet, parent: Organization, path_field: str = "path") -> dict[str, int]:
    """{child path: number of rows of `queryset` under that child} for the children of `parent`."""
    rows = (
        queryset.filter(**{f"{path_field}__startswith": parent.path, f"{path_field}__gt": parent.path})
        .annotate(child_path=child_prefix(parent, path_field))
        .values("child_path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["child_path"]: row["n"] for row in rows}
