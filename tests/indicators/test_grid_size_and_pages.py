"""The grid's weight and its pages: 87 branches × 17 figures in at most 150 KB; 330 branches in pages of 100."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from indicators.entry.views.grid import FIRST_ROWS, ROWS_PER_PAGE
from indicators.models import DataElement, DataValue, ValueType
from indicators.periods import get_period
from organizations.models import Level, Sector
from tests import builders, factories

PERIOD = "2024"
SECTORS = [Sector.SCHOOL, Sector.ADMINISTRATION, Sector.NON_STATE_ENTERPRISE, Sector.STATE_ENTERPRISE]


def grid_url(organization, query: str = "") -> str:
    return reverse("indicators:grid", kwargs={"period": PERIOD, "code": organization.code}) + query


def branches(district, count: int, prefix: str) -> list:
    return [
        factories.make_branch(
            district,
            code=f"{prefix}-{n:03d}",
            name=f"CĐCS Trường Trung học cơ sở thử nghiệm số {n} của huyện",
            sector=SECTORS[n % len(SECTORS)],
        )
        for n in range(1, count + 1)
    ]


def fill(rows, by) -> int:
    """Every figure that applies, entered (numbers in the hundreds, the longest grades)."""
    period = get_period(PERIOD)
    elements = list(DataElement.objects.filter(level__code=Level.BASE))
    values = []
    for n, branch in enumerate(rows):
        for element in elements:
            if not element.applies_to(branch) or not element.collected_in(period):
                continue
            value = DataValue(element=element, organization=branch, period=period, updated_by=by, version=1 + n % 3)
            if element.value_type == ValueType.BOOLEAN:
                value.boolean = n % 2 == 0
            elif element.value_type == ValueType.CHOICE:
                value.choice = max(element.choices, key=lambda c: len(c["label"]))["code"]
            else:
                value.number = 1000 + n
            values.append(value)
    DataValue.objects.bulk_create(values)
    return len(values)


def test_a_district_of_87_branches_and_17_figures_is_at_most_150_kb(cast, login):
    builders.period(PERIOD)
    rows = [cast.branch, *branches(cast.district, 86, "XP-A-G")]
    entered = fill(rows, cast.owner)
    response = login(cast.owner).get(grid_url(cast.district))
    grid = response.context["grid"]
    assert len(grid.rows) == 87 and len(grid.columns) == 17  # the base figures of the catalogue
    html = response.content.decode()
    assert len(codes(html)) == 87  # every branch on the one page
    # The first screenful in the table, the other rows as the text that grid.js adds after them.
    table, rest = html.split('id="data-grid"')[1].split('id="grid-rest"')
    rest = rest.split("</script>")[0]
    assert (
        len(re.findall("<tr data-r=", table.split("</table>")[0])) == FIRST_ROWS
        and len(re.findall("<tr data-r=", rest)) == 87 - FIRST_ROWS
    )
    fields = sum(part.count("<input") + part.count("<select") for part in (table.split("</table>")[0], rest))
    assert fields == entered  # a field for every figure
    assert len(response.content) <= 150 * 1024, f"{len(response.content) / 1024:.1f} KB"


@pytest.fixture
def large(cast):
    """The largest district of the national dataset: 330 branches; the sibling district has its own."""
    builders.period(PERIOD)
    rows = [cast.branch, *branches(cast.district, 329, "XP-A-L")]
    return rows


def codes(html: str) -> list[str]:
    """The branches' rows of the grid (not the rows of the district's own figures)."""
    if 'id="data-grid"' not in html:
        return []
    return re.findall(r'<tr data-r="([^"]+)"', html.split('id="data-grid"')[1])


def test_330_branches_come_in_pages_of_100_each_branch_once_and_only_the_district(cast, login, large):
    client = login(cast.owner)
    seen = []
    for number, size in ((1, 100), (2, 100), (3, 100), (4, 30)):
        response = client.get(grid_url(cast.district, f"?page={number}"))
        assert response.status_code == 200
        page = codes(response.content.decode())
        assert len(page) == size == len(response.context["page"].object_list)
        seen += page
    assert sorted(seen) == sorted(branch.code for branch in large)  # each once, none from elsewhere
    assert cast.sibling_branch.code not in seen
    html = client.get(grid_url(cast.district)).content.decode()
    assert 'href="?page=4"' in html and "330" in html  # links to every page; the count is of the whole district
    assert client.get(grid_url(cast.district)).context["grid"].progress.total == 330
    assert ROWS_PER_PAGE == 100


def test_the_page_links_keep_the_filters(cast, login, large):
    client = login(cast.owner)
    response = client.get(grid_url(cast.district, "?q=thử nghiệm&page=4"))
    page = codes(response.content.decode())
    assert len(page) == 29  # 329 of the 330 match: pages of 100, 100, 100 and 29
    assert cast.branch.code not in page
    html = response.content.decode()
    assert 'href="?q=th%E1%BB%AD+nghi%E1%BB%87m&amp;page=1"' in html
    schools = codes(client.get(grid_url(cast.district, f"?sector={Sector.SCHOOL}")).content.decode())
    assert len(schools) == 83 and set(schools) == {b.code for b in large if b.sector == Sector.SCHOOL}
    assert client.get(grid_url(cast.district, "?q=XP-A-L-007")).context["page"].paginator.count == 1


def test_an_outsider_gets_404_on_every_page_and_a_branch_officer_sees_only_their_row(cast, login, large):
    assert login(cast.outsider).get(grid_url(cast.district, "?page=2")).status_code == 404
    officer = factories.make_user("chair", organization=cast.branch, role="branch_officer")
    client = login(officer)
    assert client.get(grid_url(cast.district, "?page=2")).status_code == 404
    assert codes(client.get(grid_url(cast.branch, "?page=3")).content.decode()) == [cast.branch.code]


def test_a_filter_that_matches_nothing_says_so_and_bad_pages_fall_back(cast, login, large):
    client = login(cast.owner)
    response = client.get(grid_url(cast.district, "?q=không có"))
    assert response.status_code == 200 and codes(response.content.decode()) == []
    assert "Không có CĐCS nào khớp với bộ lọc." in response.content.decode()
    assert client.get(grid_url(cast.district, "?page=abc")).context["page"].number == 1
    assert client.get(grid_url(cast.district, "?page=99")).context["page"].number == 4
    assert client.get(grid_url(cast.district, "?sector=<b>")).context["page"].paginator.count == 330
