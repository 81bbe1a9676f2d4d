"""The grid's Excel upload puts right what the importers put right, says so, and keeps ambiguity an error."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.messages import get_messages

from indicators.models import DataValue

from . import test_grid_view
from .test_grid_excel import column_of, download, row_of, upload

year = test_grid_view.year
elements = test_grid_view.elements


def test_spaces_and_numbers_stored_as_text_are_put_right_and_noted(cast, login, year, elements):
    client = login(cast.owner)
    workbook = download(client, cast.district)
    sheet = workbook.worksheets[0]
    row = row_of(sheet, "XP-A-01")
    sheet.cell(row, column_of(sheet, "t_workers_total")).value = " 40 "
    sheet.cell(row, column_of(sheet, "t_workers_members")).value = "38\u00a0"
    sheet.cell(row, column_of(sheet, "t_rating")).value = "Hoàn thành  tốt nhiệm vụ "

    response = upload(client, cast.district, workbook)

    assert response.status_code == 302
    saved = {v.element.code: v for v in DataValue.objects.filter(organization=cast.branch, period=year)}
    assert saved["t_workers_total"].number == Decimal(40) and saved["t_workers_members"].number == Decimal(38)
    assert saved["t_rating"].choice == "good"
    notes = {str(m) for m in get_messages(response.wsgi_request)} - {"Đã nhập 3 ô, không đổi 0 ô."}
    assert notes == {
        "t_rating: 1 ô đã bỏ dấu cách thừa",
        "t_workers_members: 1 ô đã bỏ dấu cách thừa",
        "t_workers_members: 1 ô đã đổi dấu cách không ngắt thành dấu cách thường",
        "t_workers_members: 1 ô số lưu dạng chữ đã được đọc thành số",
        "t_workers_total: 1 ô đã bỏ dấu cách thừa",
        "t_workers_total: 1 ô số lưu dạng chữ đã được đọc thành số",
    }


def test_a_line_break_inside_a_cell_stays_an_error_and_writes_nothing(cast, login, year, elements):
    client = login(cast.owner)
    workbook = download(client, cast.district)
    sheet = workbook.worksheets[0]
    sheet.cell(row_of(sheet, "XP-A-01"), column_of(sheet, "t_rating")).value = "Hoàn thành\ntốt nhiệm vụ"

    response = upload(client, cast.district, workbook)

    assert response.status_code != 302
    [error] = response.context["errors"]
    assert error.code == "line_break" and error.value_shown == "Hoàn·thành⏎tốt·nhiệm·vụ"
    assert "Hoàn·thành⏎tốt·nhiệm·vụ" in response.content.decode()
    assert not DataValue.objects.exists()
