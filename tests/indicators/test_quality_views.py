"""The data-quality pages: the warnings of a subtree within scope, a cell's mark, the reviewer's view, the admin's check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.models import DataElement, PlausibilityRule, QualityWarning
from indicators.quality.services import warnings_confirm
from indicators.workflow.services import submission_submit
from organizations.models import Role
from tests import builders, factories


@pytest.fixture
def year(db):
    return builders.period("2024")


save = builders.save_figure  # a figure typed in the 2024 grid


@pytest.fixture
def flagged(cast, year):
    save("workers_informed", cast.branch, "99.999", cast.owner)
    save("workers_informed", cast.sibling_branch, "77.777", cast.outsider)
    return QualityWarning.objects.get(organization=cast.branch)


def page(client, organization, query: str = ""):
    return client.get(reverse("indicators:quality", kwargs={"code": organization.code}) + query)


def test_the_quality_page_lists_the_open_warnings_of_the_subtree_and_nothing_outside(cast, login, year, flagged):
    html = page(login(cast.owner), cast.district).content.decode()
    assert "Chất lượng số liệu" in html and "99.999" in html and "77.777" not in html
    assert cast.branch.display_name in html and "Năm 2024" in html


def test_the_province_sees_both_districts_and_an_outsider_gets_404(cast, login, year, flagged):
    html = page(login(cast.provincial), cast.province).content.decode()
    assert "99.999" in html and "77.777" in html
    assert page(login(cast.outsider), cast.district).status_code == 404
    branch_officer = factories.make_user("chair", organization=cast.branch, role=Role.BRANCH_OFFICER)
    assert page(login(branch_officer), cast.district).status_code == 404
    assert "99.999" in page(login(branch_officer), cast.branch).content.decode()


def test_a_confirmed_warning_leaves_the_open_list_and_shows_with_its_explanation_on_request(cast, login, year, flagged):
    warnings_confirm(
        unit=cast.district, period=year, comments={flagged.pk: "Tuyên truyền cả khu công nghiệp"}, by=cast.owner
    )
    client = login(cast.owner)
    assert "99.999" not in page(client, cast.district).content.decode()
    html = page(client, cast.district, "?period=2024&show=all").content.decode()
    assert "99.999" in html and "Tuyên truyền cả khu công nghiệp" in html


def test_a_saved_cell_shows_its_warning_mark_and_the_grid_shows_it_on_opening(cast, login, year):
    client = login(cast.owner)
    cell = reverse(
        "indicators:cell",
        kwargs={"period": "2024", "code": cast.district.code, "row": cast.branch.code, "element": "workers_informed"},
    )
    response = client.post(cell, {"value": "99.999", "version": "0"})
    assert response.status_code == 200  # a warning never blocks a save
    informed = DataElement.objects.get(code="workers_informed")
    html = response.content.decode()
    cell_id = f'id="cell-{cast.branch.pk}-{informed.pk}"'
    assert cell_id in html and "⚠" in html.split(cell_id)[1].split("</td>")[0]
    # The row's marks, for grid.js to put in their cells: this one's is among them.
    assert f'<template data-marks="{cast.branch.pk}"><span data-e="{informed.pk}"><span class="cell-warning">' in html
    grid = client.get(
        reverse("indicators:grid", kwargs={"period": "2024", "code": cast.district.code})
    ).content.decode()
    assert '<input value=99.999><span class="cell-warning"><span class="cell-warning-mark"' in grid
    # Entering the workforce clears the warning of the other cell, out of band.
    total = reverse(
        "indicators:cell",
        kwargs={"period": "2024", "code": cast.district.code, "row": cast.branch.code, "element": "workers_total"},
    )
    html = client.post(total, {"value": "120.000", "version": "0"}).content.decode()
    marks = html.split(f'<template data-marks="{cast.branch.pk}">')[1].split("</template>")[0]
    assert f'data-e="{informed.pk}"' not in marks


def test_the_grid_script_reads_the_warnings_of_the_cells_as_json(cast, login, year, flagged):
    url = reverse("indicators:quality_cells", kwargs={"period": "2024", "code": cast.district.code})
    data = login(cast.colleague).get(url).json()
    informed = DataElement.objects.get(code="workers_informed")
    assert data["open"] == 1
    assert data["cells"][f"{cast.branch.pk}-{informed.pk}"][0]["text"].startswith("Đã nhập 99.999")


def test_the_reviewer_sees_the_coverage_the_warnings_and_their_explanations(cast, login, year, flagged):
    factories.make_branch(cast.district, code="XP-A-02")  # no figure entered
    warnings_confirm(
        unit=cast.district, period=year, comments={flagged.pk: "Đã kiểm tra với chủ tịch CĐCS"}, by=cast.owner
    )
    submission_submit(organization=cast.district, period=year, by=cast.owner)
    html = (
        login(cast.provincial)
        .get(reverse("indicators:review", kwargs={"period": "2024", "code": cast.province.code}))
        .content.decode()
    )
    assert "1/2 CĐCS đã nhập" in html  # the district
    assert "Đã kiểm tra với chủ tịch CĐCS" in html and "1 đã giải trình" in html
    assert "1 cảnh báo chưa xác nhận" in html  # the sibling district's, not explained


def test_a_rule_naming_an_unknown_figure_is_refused_in_the_admin_with_a_clear_message(cast, login):
    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    before = PlausibilityRule.objects.count()
    data = {
        "code": "typo",
        "name": "Thử",
        "kind": "fields",
        "element": DataElement.objects.get(code="workers_informed").pk,
        "active": "on",
        "left": "workers_informed",
        "operator": "lte",
        "right": "workers_tota + 5",
        "missing": "skip",
        "registry": "",
        "tolerance": "0",
        "factor": "3",
        "floor": "0",
        "history": "6",
    }
    response = login(superuser).post(reverse("admin:indicators_plausibilityrule_add"), data)
    assert response.status_code == 200
    assert "Danh mục không có chỉ tiêu nào mang mã “workers_tota”" in response.content.decode()
    assert PlausibilityRule.objects.count() == before
    data["right"] = "workers_total + 5"
    assert login(superuser).post(reverse("admin:indicators_plausibilityrule_add"), data).status_code == 302
    assert PlausibilityRule.objects.count() == before + 1


def test_a_grid_file_that_writes_an_implausible_figure_raises_its_warning(cast, login, year):
    from .test_grid_excel import column_of, download, row_of, upload

    client = login(cast.owner)
    workbook = download(client, cast.district)
    sheet = workbook.worksheets[0]
    sheet.cell(row_of(sheet, cast.branch.code), column_of(sheet, "workers_informed")).value = 99999
    assert upload(client, cast.district, workbook).status_code == 302
    warning = QualityWarning.objects.get(organization=cast.branch, rule__code="informed_within_workers")
    assert warning.value == 99999
