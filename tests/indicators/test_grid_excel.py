"""The grid as an Excel file: download, upload back, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import DataValue
from indicators.workflow import services
from organizations.models import Sector
from tests import factories

from . import test_grid_view
from .test_grid_view import PERIOD, grid_url, post_cell

# The grid's fixtures: its period and its small catalogue of elements (two of them under a rule).
year = test_grid_view.year
elements = test_grid_view.elements

NAMES = ["Mã CĐCS", "Tên CĐCS"]


def download_url(organization, period: str = PERIOD) -> str:
    return reverse("indicators:grid_excel", kwargs={"period": period, "code": organization.code})


def upload_url(organization, period: str = PERIOD) -> str:
    return reverse("indicators:grid_excel_upload", kwargs={"period": period, "code": organization.code})


def download(client, organization):
    response = client.get(download_url(organization))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def as_file(workbook) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue())


def upload(client, organization, workbook):
    return client.post(upload_url(organization), {"file": as_file(workbook)})


def message_of(response) -> str:
    """The latest message (those of earlier requests wait in the storage until a page shows them)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def column_of(sheet, code: str) -> int:
    """Find a figure's column from the hidden row of codes."""
    return next(cell.column for cell in sheet[2] if cell.value == code)


def row_of(sheet, branch_code: str) -> int:
    return next(row[0].row for row in sheet.iter_rows(min_row=3) if row[0].value == branch_code)


@pytest.fixture
def filled(cast, login, year, elements):
    client = login(cast.owner)
    for key, value in (("total", "40"), ("members", "38"), ("rating", "good"), ("fund", "1")):
        assert post_cell(client, cast.district, cast.branch, elements[key], value, 0).status_code == 200
    assert post_cell(client, cast.district, cast.district, elements["houses"], "3", 0).status_code == 200
    return client


def test_the_download_has_the_headers_the_branches_and_their_values(cast, login, filled, elements):
    factories.make_branch(cast.district, code="XP-A-02", name="CĐCS Công ty May A", sector=Sector.NON_STATE_ENTERPRISE)
    workbook = download(filled, cast.district)
    sheet = workbook.worksheets[0]
    assert workbook.sheetnames == ["Số liệu", "Hướng dẫn"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == NAMES
    assert headers[2:] == ["t_agreement", "t_fund", "t_rating", "t_workers_members", "t_workers_total", "t_houses"]
    codes = [cell.value for cell in sheet[2]]
    assert codes[2:] == headers[2:] and sheet.row_dimensions[2].hidden  # the hidden row of element codes
    assert [row[0].value for row in sheet.iter_rows(min_row=3)] == ["XP-A-01", "XP-A-02", "XP-A"]
    branch = row_of(sheet, "XP-A-01")
    assert sheet.cell(branch, column_of(sheet, "t_workers_total")).value == 40
    assert sheet.cell(branch, column_of(sheet, "t_rating")).value == "Hoàn thành tốt nhiệm vụ"
    assert sheet.cell(branch, column_of(sheet, "t_fund")).value == "Có"
    assert sheet.cell(branch, column_of(sheet, "t_agreement")).value is None  # not for a school
    assert sheet.cell(row_of(sheet, "XP-A"), column_of(sheet, "t_houses")).value == 3  # the district's own
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    rating = sheet.cell(1, column_of(sheet, "t_rating")).column_letter
    fund = sheet.cell(1, column_of(sheet, "t_fund")).column_letter
    # The lists start below the hidden row of codes, where the figures are typed.
    assert "Hoàn thành tốt nhiệm vụ" in lists[f"{rating}3"] and lists[f"{fund}3"] == '"Có,Không"'


def test_the_drop_down_lists_leave_the_hidden_row_of_codes_alone(cast, login, filled):
    sheet = download(filled, cast.district).worksheets[0]
    validations = sheet.data_validations.dataValidation
    assert validations
    for validation in validations:
        for cell_range in validation.sqref.ranges:
            assert cell_range.min_row == 3 and cell_range.max_row == 1048576, str(cell_range)


def test_the_grid_prints_on_a4_landscape_fitted_to_the_width_of_the_page(cast, login, filled):
    sheet = download(filled, cast.district).worksheets[0]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4 in the OOXML numbering
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"


def test_the_file_is_titled_and_authored_by_the_body_whose_grid_it_is(cast, login, filled):
    properties = download(filled, cast.district).properties
    assert properties.creator == "LĐLĐ huyện A"
    assert properties.title == f"Số liệu {year_label(cast)} · LĐLĐ huyện A"


def year_label(cast) -> str:
    from indicators.models import ReportingPeriod

    return ReportingPeriod.objects.get(code=PERIOD).label


def test_downloading_and_uploading_back_changes_nothing(cast, login, filled):
    before = {(v.pk, v.version) for v in DataValue.objects.all()}
    response = upload(filled, cast.district, download(filled, cast.district))
    assert response.status_code == 302 and response.url == grid_url(cast.district)
    assert {(v.pk, v.version) for v in DataValue.objects.all()} == before
    assert message_of(response) == "Đã nhập 0 ô, không đổi 5 ô."


def test_an_edited_file_writes_the_new_values_once(cast, login, filled, elements, year):
    workbook = download(filled, cast.district)
    sheet = workbook.worksheets[0]
    branch = row_of(sheet, "XP-A-01")
    sheet.cell(branch, column_of(sheet, "t_workers_total")).value = 50
    sheet.cell(branch, column_of(sheet, "t_workers_members")).value = 45
    sheet.cell(branch, column_of(sheet, "t_rating")).value = "Hoàn thành xuất sắc nhiệm vụ"
    sheet.cell(branch, column_of(sheet, "t_fund")).value = "Không"
    sheet.cell(row_of(sheet, "XP-A"), column_of(sheet, "t_houses")).value = None  # emptied: cleared
    response = upload(filled, cast.district, workbook)
    assert response.status_code == 302, response.content.decode()
    assert message_of(response) == "Đã nhập 5 ô, không đổi 0 ô."
    values = {v.element.code: v for v in DataValue.objects.filter(period=year).select_related("element")}
    assert values["t_workers_total"].number == 50 and values["t_workers_total"].version == 2
    assert values["t_workers_members"].number == 45 and values["t_workers_total"].updated_by == cast.owner
    assert values["t_rating"].choice == "excellent" and values["t_fund"].boolean is False
    assert values["t_houses"].number is None
    again = upload(filled, cast.district, workbook)  # the same file again: nothing more
    assert again.status_code == 302
    assert DataValue.objects.get(element=elements["total"]).version == 2
    assert message_of(again) == "Đã nhập 0 ô, không đổi 4 ô."  # the emptied cell is not counted


def test_a_new_value_in_an_empty_grid_is_created(cast, login, year, elements):
    client = login(cast.owner)
    workbook = download(client, cast.district)
    sheet = workbook.worksheets[0]
    sheet.cell(row_of(sheet, "XP-A-01"), column_of(sheet, "t_workers_total")).value = "1.234"
    assert upload(client, cast.district, workbook).status_code == 302
    value = DataValue.objects.get(element=elements["total"], organization=cast.branch, period=year)
    assert value.number == Decimal(1234) and value.version == 1 and value.updated_by == cast.owner


@pytest.mark.parametrize(
    ("column", "value", "code", "shown"),
    [
        ("t_rating", "Rất tốt", "invalid", "Rất tốt"),
        ("t_workers_members", 60, "rule", "60"),  # more members than workers (40)
        ("t_workers_total", "bốn mươi", "invalid", "bốn mươi"),
    ],
)
def test_one_bad_cell_writes_nothing_and_is_reported(cast, login, filled, elements, column, value, code, shown):
    workbook = download(filled, cast.district)
    sheet = workbook.worksheets[0]
    branch = row_of(sheet, "XP-A-01")
    sheet.cell(branch, column_of(sheet, "t_fund")).value = "Không"  # a good change, not written either
    sheet.cell(branch, column_of(sheet, column)).value = value
    before = {(v.pk, v.version) for v in DataValue.objects.all()}
    response = upload(filled, cast.district, workbook)
    assert response.status_code == 422
    assert {(v.pk, v.version) for v in DataValue.objects.all()} == before
    (error,) = response.context["errors"]
    assert error.code == code and error.row == branch and error.value == shown
    assert error.column == sheet.cell(1, column_of(sheet, column)).column_letter and error.header == column
    assert error.message in response.content.decode()


def test_an_unknown_branch_code_writes_nothing(cast, login, filled):
    workbook = download(filled, cast.district)
    sheet = workbook.worksheets[0]
    sheet.cell(row_of(sheet, "XP-A-01"), column_of(sheet, "t_workers_total")).value = 41
    sheet.append(["XP-B-01", "CĐCS UBND xã B1"])  # a branch of the sibling district
    response = upload(filled, cast.district, workbook)
    assert response.status_code == 422
    (error,) = response.context["errors"]
    assert (error.code, error.column, error.value, error.row) == ("unknown_branch", "A", "XP-B-01", sheet.max_row)
    assert DataValue.objects.get(organization=cast.branch, element__code="t_workers_total").number == 40


def test_a_locked_period_refuses_the_upload(cast, login, filled, year):
    workbook = download(filled, cast.district)
    sheet = workbook.worksheets[0]
    sheet.cell(row_of(sheet, "XP-A-01"), column_of(sheet, "t_workers_total")).value = 41
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    response = upload(filled, cast.district, workbook)
    assert response.status_code == 409
    assert [e.code for e in response.context["errors"]] == ["locked"]
    assert DataValue.objects.get(organization=cast.branch, element__code="t_workers_total").number == 40
    assert download(filled, cast.district)  # reading stays possible


def test_a_viewer_downloads_but_may_not_upload(cast, login, filled):
    workbook = download(filled, cast.district)
    client = login(cast.colleague)
    assert client.get(download_url(cast.district)).status_code == 200
    assert upload(client, cast.district, workbook).status_code == 403
    assert 'id="grid-excel-file"' not in client.get(grid_url(cast.district)).content.decode()


def test_an_outsider_gets_404_on_both(cast, login, filled):
    workbook = download(filled, cast.district)
    client = login(cast.outsider)
    assert client.get(download_url(cast.district)).status_code == 404
    assert upload(client, cast.district, workbook).status_code == 404


def test_the_grid_shows_the_two_excel_controls(cast, login, filled):
    html = filled.get(grid_url(cast.district)).content.decode()
    assert download_url(cast.district) in html
    assert f'action="{upload_url(cast.district)}"' in html and 'enctype="multipart/form-data"' in html


def test_a_file_of_another_kind_is_refused_whole(cast, login, filled):
    response = filled.post(upload_url(cast.district), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert response.status_code == 422
    assert [e.code for e in response.context["errors"]] == ["not_xlsx"]


def test_a_hostile_file_is_refused_at_once_and_the_grid_keeps_its_figures(cast, login, filled, tmp_path):
    """A 1,8 KB file with one cell at XFD1048576 once aborted the server; now it is refused with its limit."""
    from tests.hostile import raw_xlsx, row

    path = raw_xlsx(
        tmp_path / "so-lieu.xlsx",
        sheet_data=row(1, NAMES)
        + row(3, ["XP-A-01", "x", 41])
        + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    )
    before = sorted(DataValue.objects.values_list("element_id", "organization_id", "number", "choice", "version"))
    response = filled.post(upload_url(cast.district), {"file": SimpleUploadedFile("so-lieu.xlsx", path.read_bytes())})
    assert response.status_code == 422
    assert [e.code for e in response.context["errors"]] == ["too_many_rows"]
    assert "XFD1048576" in response.content.decode()
    assert (
        sorted(DataValue.objects.values_list("element_id", "organization_id", "number", "choice", "version")) == before
    )
    assert filled.get(grid_url(cast.district)).status_code == 200


def test_a_committed_upload_refreshes_the_rollups_of_the_figures_written(
    cast, login, filled, year, elements, django_capture_on_commit_callbacks
):
    from indicators.engine import Parts, from_parts
    from reports import rollups
    from reports.models import Rollup
    from tests import builders

    def stored_total(organization) -> Decimal | None:
        row = Rollup.objects.get(indicator=total, organization=organization, period=year)
        return from_parts(total, Parts(row.numerator, row.denominator, row.reported, row.expected), year).value

    total = builders.indicator(
        builders.program(cast.province), "reported_sum", element=elements["total"], target_value=1
    )
    rollups.refresh()
    before = stored_total(cast.district)
    workbook = download(filled, cast.district)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert upload(filled, cast.district, workbook).status_code == 302
    assert callbacks == []  # nothing written, nothing to refresh
    sheet = workbook.worksheets[0]
    cell = sheet.cell(row_of(sheet, "XP-A-01"), column_of(sheet, "t_workers_total"))
    cell.value = (cell.value or 0) + 1
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(filled, cast.district, workbook).status_code == 302
        assert stored_total(cast.district) == before  # not before the upload has committed
    assert stored_total(cast.district) == before + 1
    assert stored_total(cast.province) == stored_total(cast.district) + (stored_total(cast.sibling) or 0)


def test_an_uploaded_grid_file_is_recorded_in_the_history_with_its_name(cast, login, filled, elements, year):
    from audit.models import AuditEvent

    workbook = download(filled, cast.district)
    sheet = workbook.worksheets[0]
    sheet.cell(row_of(sheet, "XP-A-01"), column_of(sheet, "t_workers_total")).value = 50
    assert upload(filled, cast.district, workbook).status_code == 302
    event = AuditEvent.objects.filter(table_name="indicators_datavalue", action="update").last()
    assert event.actor == cast.owner
    assert event.context.startswith("import:grid:") and event.context.endswith(".xlsx")
