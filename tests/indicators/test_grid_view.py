"""The data-entry grid: rows, columns, cells saved one by one with htmx, errors and conflicts in place, locks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import DataElement, DataElementRule, DataValue, ValueType
from indicators.workflow import services
from organizations.models import Role, Sector
from tests import builders, factories

PERIOD = "2024"


def grid_url(organization, period: str = PERIOD) -> str:
    return reverse("indicators:grid", kwargs={"period": period, "code": organization.code})


def cell_url(grid, row, element, period: str = PERIOD) -> str:
    return reverse(
        "indicators:cell", kwargs={"period": period, "code": grid.code, "row": row.code, "element": element.code}
    )


def post_cell(client, grid, row, element, value, version=None, period: str = PERIOD):
    data = {"value": value}
    if version is not None:
        data["version"] = str(version)
    return client.post(cell_url(grid, row, element, period), data, HTTP_HX_REQUEST="true")


@pytest.fixture
def year(db):
    return builders.period(PERIOD)


@pytest.fixture
def elements(db):
    """A small catalogue of its own, so a branch is complete with a handful of cells."""
    DataElement.objects.all().delete()
    total = builders.element("t_workers_total", min_value=Decimal(0))
    members = builders.element("t_workers_members", min_value=Decimal(0))
    DataElementRule.objects.create(
        element=members, operator="lte", other=total, message="Số đoàn viên không thể lớn hơn tổng số người lao động."
    )
    return {
        "total": total,
        "members": members,
        "rating": builders.element("t_rating", ValueType.CHOICE),
        "fund": builders.element("t_fund", ValueType.BOOLEAN),
        "agreement": builders.element("t_agreement", ValueType.BOOLEAN, sectors=[Sector.NON_STATE_ENTERPRISE]),
        "houses": builders.element("t_houses", level="upper"),
    }


def test_the_grid_has_the_branches_as_rows_and_the_figures_that_apply_as_columns(cast, login, year, elements):
    factories.make_branch(cast.district, code="XP-A-02", name="CĐCS Công ty May A", sector=Sector.NON_STATE_ENTERPRISE)
    factories.make_branch(cast.district, code="XP-A-03", name="CĐCS đã giải thể", founded_on=datetime.date(2025, 3, 1))
    grid = login(cast.owner).get(grid_url(cast.district)).context["grid"]
    assert [row.organization.code for row in grid.rows] == ["XP-A-01", "XP-A-02"]  # XP-A-03 was founded later
    columns = [e.code for e in grid.columns]
    assert columns == ["t_agreement", "t_fund", "t_rating", "t_workers_members", "t_workers_total"]  # order, code
    school, enterprise = grid.rows
    assert school.cells[columns.index("t_agreement")] is None  # a collective agreement is for enterprises only
    assert enterprise.cells[columns.index("t_agreement")] is not None
    assert [cell.element.code for cell in grid.own.cells] == ["t_houses"]  # the district's own figures


def test_a_cell_saves_and_answers_with_itself_and_the_progress_out_of_band(cast, login, year, elements):
    response = post_cell(login(cast.owner), cast.district, cast.branch, elements["total"], "1.234,5", version=0)
    assert response.status_code == 200
    value = DataValue.objects.get(element=elements["total"], organization=cast.branch, period=year)
    assert value.number == Decimal("1234.5") and value.version == 1 and value.updated_by == cast.owner
    html = response.content.decode()
    assert f'id="cell-{cast.branch.pk}-{elements["total"].pk}"' in html
    assert 'value="1.234,5"' in html  # shown back the Vietnamese way
    assert 'data-v="1"' in html  # the next save expects the new version
    assert 'id="grid-progress"' in html and 'hx-swap-oob="true"' in html
    assert response.context["progress"].complete == 0


def test_choices_and_yes_no_cells_are_selects(cast, login, year, elements):
    client = login(cast.owner)
    assert post_cell(client, cast.district, cast.branch, elements["rating"], "good", 0).status_code == 200
    assert post_cell(client, cast.district, cast.branch, elements["fund"], "1", 0).status_code == 200
    html = client.get(grid_url(cast.district)).content.decode()
    # A select holds its current option only; the column's options are written once, in a template.
    assert "<select><option value=good>Hoàn thành tốt nhiệm vụ</select>" in html
    assert "<select><option value=1>Có</select>" in html
    assert html.count('<option value="good">Hoàn thành tốt nhiệm vụ</option>') == 1
    assert DataValue.objects.get(element=elements["fund"]).boolean is True


def test_a_branch_is_complete_when_every_cell_that_applies_is_filled(cast, login, year, elements):
    client = login(cast.owner)
    for key, value in (("total", "40"), ("members", "38"), ("rating", "good")):
        post_cell(client, cast.district, cast.branch, elements[key], value, 0)
    response = post_cell(client, cast.district, cast.branch, elements["fund"], "0", 0)
    assert response.context["progress"].complete == 1 and response.context["progress"].total == 1
    assert response.context["row_state"].complete
    assert f'id="row-mark-{cast.branch.pk}"' in response.content.decode()


def test_a_cross_field_error_shows_in_the_cell_and_nothing_is_saved(cast, login, year, elements):
    client = login(cast.owner)
    post_cell(client, cast.district, cast.branch, elements["total"], "100", 0)
    response = post_cell(client, cast.district, cast.branch, elements["members"], "120", 0)
    assert response.status_code == 422
    assert response.context["error"] == "Số đoàn viên không thể lớn hơn tổng số người lao động."
    html = response.content.decode()
    assert "Số đoàn viên không thể lớn hơn tổng số người lao động." in html
    assert 'value="120"' in html and "cell-invalid" in html  # what was typed stays, to be corrected
    assert not DataValue.objects.filter(element=elements["members"]).exists()


def test_a_value_that_is_not_a_number_is_refused_in_place(cast, login, year, elements):
    response = post_cell(login(cast.owner), cast.district, cast.branch, elements["total"], "mười", 0)
    assert response.status_code == 422
    assert "mười" in response.context["error"]


def test_a_stale_edit_shows_the_newer_value_and_who_saved_it(cast, login, year, elements):
    colleague_staff = factories.make_user(
        "staff2", organization=cast.district, role=Role.UPPER_STAFF, first_name="Lan", last_name="Triệu Thị"
    )
    post_cell(login(colleague_staff), cast.district, cast.branch, elements["total"], "45", 0)
    response = post_cell(login(cast.owner), cast.district, cast.branch, elements["total"], "50", 0)  # saw it empty
    assert response.status_code == 409
    assert response.context["conflict"] is True
    assert response.context["cell"].value.number == 45
    html = response.content.decode()
    assert 'value="45"' in html and "Triệu Thị Lan" in html and "“50”" in html
    assert 'data-v="1"' in html  # typing again overwrites the newer value knowingly
    assert DataValue.objects.get(element=elements["total"]).number == 45
    again = post_cell(login(cast.owner), cast.district, cast.branch, elements["total"], "50", 1)
    assert again.status_code == 200
    assert DataValue.objects.get(element=elements["total"]).number == 50


def test_a_locked_period_is_read_only_and_its_cell_endpoint_refuses(cast, login, year, elements):
    client = login(cast.owner)
    post_cell(client, cast.district, cast.branch, elements["total"], "40", 0)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    page = client.get(grid_url(cast.district))
    assert page.context["locked"] and not page.context["editable"]
    html = page.content.decode()
    assert "<input" not in html.split('id="data-grid"')[1].split("</table>")[0]
    # The scroll region is still reached by the keyboard.
    assert '<div class="grid-wrap" tabindex="0" role="region" aria-label="' in html
    response = post_cell(client, cast.district, cast.branch, elements["total"], "41", 1)
    assert response.status_code == 409
    assert "<input" not in response.content.decode()
    assert DataValue.objects.get(element=elements["total"]).number == 40


def test_a_future_period_is_closed(cast, login, elements):
    next_year = str(datetime.date.today().year + 1)
    client = login(cast.owner)
    page = client.get(grid_url(cast.district, next_year))
    assert page.status_code == 200 and not page.context["is_open"] and not page.context["editable"]
    assert post_cell(client, cast.district, cast.branch, elements["total"], "5", 0, next_year).status_code == 409
    assert not DataValue.objects.exists()


def test_the_district_enters_its_own_figures_in_their_own_section(cast, login, year, elements):
    response = post_cell(login(cast.owner), cast.district, cast.district, elements["houses"], "12", 0)
    assert response.status_code == 200
    assert response.context["progress"].own_filled == 1
    assert DataValue.objects.get(element=elements["houses"]).organization == cast.district


def test_a_branch_officer_opens_only_their_own_row(cast, login, year, elements):
    officer = factories.make_user("chair", organization=cast.branch, role=Role.BRANCH_OFFICER)
    client = login(officer)
    assert client.get(grid_url(cast.district)).status_code == 404
    page = client.get(grid_url(cast.branch))
    assert [row.organization for row in page.context["grid"].rows] == [cast.branch]
    assert page.context["grid"].own is None and page.context["editable"]
    assert post_cell(client, cast.branch, cast.branch, elements["total"], "30", 0).status_code == 200
    other = factories.make_branch(cast.district, code="XP-A-02")
    assert post_cell(client, cast.branch, other, elements["total"], "30", 0).status_code == 404


def test_a_provincial_officer_opens_and_fills_a_districts_grid(cast, login, year, elements):
    client = login(cast.provincial)
    assert client.get(grid_url(cast.district)).context["editable"]
    assert post_cell(client, cast.district, cast.branch, elements["total"], "30", 0).status_code == 200


def test_a_viewer_reads_the_values_without_inputs(cast, login, year, elements):
    builders.report(elements["total"], cast.branch, year, 2358)
    page = login(cast.colleague).get(grid_url(cast.district))
    html = page.content.decode()
    assert not page.context["editable"] and "<input" not in html.split('id="data-grid"')[1].split("</table>")[0]
    assert "<td>2.358" in html


def test_an_editable_cell_writes_whole_and_decimal_figures_the_vietnamese_way(cast, login, year, elements):
    builders.report(elements["total"], cast.branch, year, 1234567)
    builders.report(elements["members"], cast.branch, year, Decimal("12.5"))
    html = login(cast.owner).get(grid_url(cast.district)).content.decode()
    row = html.split('id="data-grid"')[1].split("</table>")[0]
    assert "<input value=1.234.567" in row and "<input value=12,5" in row


def test_the_grid_reads_a_fixed_number_of_queries(cast, login, year, elements):
    client = login(cast.owner)
    builders.report(elements["total"], cast.branch, year, 10)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(grid_url(cast.district)).status_code == 200
        return len(queries)

    client.get(
        grid_url(cast.district)
    )  # the first page of a session also counts the navigation bar's to-do list (kept a minute)
    small = count()
    for n in range(2, 14):
        branch = factories.make_branch(cast.district, code=f"XP-A-{n:02d}", sector=Sector.NON_STATE_ENTERPRISE)
        for key in ("total", "members", "fund", "agreement"):
            builders.report(elements[key], branch, year, 1)
        builders.report(elements["rating"], branch, year, "good")
    builders.report(elements["houses"], cast.district, year, 4)
    services.submission_return(organization=cast.district, period=year, by=cast.provincial, comment="Thiếu số liệu")
    services.submission_submit(organization=cast.district, period=year, by=cast.owner, comment="Đã bổ sung")
    assert count() == small


def test_ids_and_versions_stay_raw_numbers_whatever_their_size(cast, login, year, elements):
    value = builders.report(elements["total"], cast.branch, year, 5)
    DataValue.objects.filter(pk=value.pk).update(version=1234)  # localized, it would read 1.234 and break the JSON
    html = login(cast.owner).get(grid_url(cast.district)).content.decode()
    assert "<input value=5 data-v=1234>" in html
    assert f'<tr data-r="XP-A-01" data-id="{cast.branch.pk}">' in html
    assert f'id="n-{elements["total"].pk}"' in html  # the label of the column, for the cells' fields
