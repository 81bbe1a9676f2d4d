"""The base-union and workplace lists' rows written in Python are the markup their template loops wrote."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from organizations import services
from organizations.models import Sector, WorkplaceKind
from tests import factories

# The loops of branch_list.html and workplace_list.html before the rows were written in Python (f1a2d0e).
BRANCH_LOOP = """{% for org in rows %}
        <tr{% if not org.is_active %} class="inactive-row"{% endif %}>
          <td class="code">{{ org.code }}</td>
          <td><a href="{{ org.code|url_for:'organizations:detail' }}">{{ org.name }}</a></td>
          <td class="small">{{ org.get_sector_display|default:"–" }}</td>
          <td class="small">{{ org.parent_org.display_name|default:"–" }}</td>
          <td class="small">{{ org.founded_on|dmy|default:"–" }}</td>
          <td><span class="badge badge-status-{{ org.status }}">{{ org.get_status_display }}{% if org.dissolved_on %} {{ org.dissolved_on|dmy }}{% endif %}</span></td>
        </tr>
      {% endfor %}"""
WORKPLACE_LOOP = """{% load i18n %}{% for w in rows %}
        <tr>
          <td class="code">{{ w.code }}</td>
          <td><a href="{{ w.code|url_for:'organizations:workplace_detail' }}">{{ w.name }}</a></td>
          <td class="small">{{ w.get_kind_display }}</td>
          <td class="num">{{ w.worker_count|num }}</td>
          <td class="num">{{ w.female_worker_count|num }}</td>
          <td class="small">{{ w.upper_union.display_name }}</td>
          <td class="small">{% if w.branch and w.branch.is_active %}{{ w.branch.display_name }}{% else %}<span class="badge text-bg-warning">{% translate "no union" %}</span>{% endif %}</td>
        </tr>
      {% endfor %}"""


def rows_of(client, url, **params):
    return list(client.get(url, params).context["page"].object_list)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_base_union_rows_are_the_loops_markup(cast, login, language):
    factories.make_branch(cast.district, code="XP-A-09", name="CĐCS <Chợ> & 'Đồng'", sector=Sector.COOPERATIVE)
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2024, 5, 6))
    client = login(cast.provincial)
    rows = rows_of(client, "/branches/", status="") + rows_of(client, "/branches/", level="upper")
    assert any(not org.is_active for org in rows)
    with translation.override(language):
        slow = Template(BRANCH_LOOP).render(Context({"rows": rows}))
        fast = Template("{% load list_rows %}{% branch_rows rows %}").render(Context({"rows": rows}))
    assert fast == slow
    assert "06/05/2024" in fast and "&lt;Chợ&gt;" in fast


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_workplace_rows_are_the_loops_markup(cast, login, language):
    factories.make_workplace(cast.district, code="E1", workers=4, kind=WorkplaceKind.NON_STATE_ENTERPRISE)
    factories.make_workplace(cast.district, code="E3", workers=12000, female=8000, kind=WorkplaceKind.FDI_ENTERPRISE)
    factories.make_workplace(cast.district, code="E4", workers=30, kind=WorkplaceKind.COOPERATIVE, branch=cast.branch)
    rows = rows_of(login(cast.owner), "/workplaces/")
    assert len(rows) == 3
    with translation.override(language):
        slow = Template(WORKPLACE_LOOP).render(Context({"rows": rows}))
        fast = Template("{% load list_rows %}{% workplace_rows rows %}").render(Context({"rows": rows}))
    assert fast == slow
    assert "12" in fast and "badge text-bg-warning" in fast


def test_no_row_writes_nothing():
    empty = Context({"rows": []})
    assert Template("{% load list_rows %}{% branch_rows rows %}{% workplace_rows rows %}").render(empty) == ""
