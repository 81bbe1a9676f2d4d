"""`column = ANY(ARRAY(subquery))`: a filter on a set of ids that PostgreSQL reads through an index.

`Q(a__in=subquery) | Q(b__in=subquery)` over a large table makes PostgreSQL read every row and probe
a hashed subplan (Workplace.objects.within(province) at national scale: 72 ms; with the joins of
`a__path__startswith | b__path__startswith`, 340 ms). The same ids as an array let it OR two bitmap
index scans (11 ms). Other databases (SQLite for `make run`) get the plain `IN (subquery)`.

    Workplace.objects.filter(Q(AnyOf("upper_union_id", subtree)) | Q(AnyOf("branch_id", subtree)))
"""

from __future__ import annotations

from django.db.models import BooleanField, F, Func, Subquery


class AnyOf(Func):
    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids) -> None:
        super().__init__(F(column), Subquery(ids) if not isinstance(ids, Subquery) else ids)

    def _parts(self, compiler, connection):
        column, column_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        if not ids.startswith("("):
            ids = f"({ids})"
        return column, ids, (*column_params, *ids_params)

    def as_sql(self, compiler, connection, **extra):
        column, ids, params = self._parts(compiler, connection)
        return f"{column} IN {ids}", params

    def as_postgresql(self, compiler, connection, **extra):
        column, ids, params = self._parts(compiler, connection)
        return f"{column} = ANY(ARRAY{ids})", params
