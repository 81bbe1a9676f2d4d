"""The annex's figure cells, written in Python rather than by the template's loop cell by cell (issue 17
point 2: 910 cells for a district), are the markup that loop wrote: a number, a child's own target, a
child without one, no figure at all, in the report's language."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from reports.data import build_report
from reports.renderers.pdf import AnnexCells, comparison
from tests.reports.test_allocated_targets import TODAY, setup_allocations

# The template's loop as it was (reports/templates/reports/pdf/report.html before the cells were written in Python).
LOOP = Template(
    "{% load vn %}"
    '{% for f in figures %}<td class="num {{ f.status }}">{% if f %}{{ f.actual|num }}'
    '{% if f.target_source == "allocated" %}<div class="own-target">CT: {% include "reports/pdf/_target.html" %}</div>'
    '{% elif f.unallocated %}<div class="own-target">chưa phân bổ</div>{% endif %}{% else %}–{% endif %}</td>'
    "{% endfor %}"
)


def test_the_annex_cells_are_the_markup_the_templates_loop_wrote(cast):
    prog, year, _ = setup_allocations(cast)
    table = comparison(build_report(cast.province, prog, year, today=TODAY))
    figures = [figure for row in table["rows"] for figure in row["figures"]]
    written = {"allocated": 0, "unallocated": 0}
    for figure in figures:
        if figure is not None and figure.target_source == "allocated":
            written["allocated"] += 1
        elif figure is not None and figure.unallocated:
            written["unallocated"] += 1
    assert written["allocated"] and written["unallocated"]  # both kinds of own-target line are compared
    rows = [*table["rows"], {"figures": [None, *figures]}]  # and a cell with no figure
    with translation.override("vi"):
        for row in rows:
            cells = AnnexCells(row["figures"])
            expected = LOOP.render(Context({"figures": row["figures"]}))
            assert cells.__html__() == expected
            assert Template("{{ cells }}").render(Context({"cells": cells})) == expected  # printed unescaped
    assert "CT: ≥ 3.960" in AnnexCells(figures).__html__().replace("\n", "")
