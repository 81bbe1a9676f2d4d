"""The files users fill in and import back write what users typed as text, never as a formula.

Templates, the exports of members, branches and workplaces, and the grid's Excel download:
text beginning like a formula gets an apostrophe before it in the data rows (the import takes
it off again), and is written as exactly itself in headers and instructions.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.services import export_file, import_file, template_file
from indicators.models import DataElement, ValueType
from members.models import Member
from organizations.models import Organization, Workplace
from tests import builders, factories
from tests.sheets import STARTS, as_read, formulas_in, hostile, workbook
from unionportal.spreadsheets.safe_text import escape, unescape

# Text the import takes as it is (it refuses a tab or a line break at the start of a cell).
IMPORTABLE = [start for start in STARTS if not start[0].isspace()]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def escaped_as_read(typed: str) -> str:
    return as_read(escape(typed))


@pytest.mark.parametrize("kind", ["members", "branches", "workplaces"])
def test_a_template_holds_no_formula(kind):
    buffer = io.BytesIO()
    template_file(kind, buffer)
    assert formulas_in(buffer.getvalue()) == []


def hostile_registry(cast, start: str) -> dict[str, str]:
    """A member, a branch and a workplace of the district named as a hostile user would name them."""
    typed = {
        "member": hostile(start, "member"),
        "ethnicity": f"{start}Kinh",
        "branch": hostile(start, "branch"),
        "workplace": hostile(start, "workplace"),
    }
    member = factories.make_member(cast.branch, card_number="DV001")
    workplace = factories.make_workplace(cast.district, code="DN001", branch=cast.branch)
    # Straight to the tables: the forms and the services tidy spaces away, other paths may not.
    Member.objects.filter(pk=member.pk).update(full_name=typed["member"], ethnicity=typed["ethnicity"])
    Organization.objects.filter(pk=cast.branch.pk).update(name=typed["branch"])
    Workplace.objects.filter(pk=workplace.pk).update(name=typed["workplace"])
    return typed


# Where each export writes the texts of hostile_registry: (cell, key).
EXPORTED = {
    "members": (("B2", "member"), ("E2", "ethnicity")),
    "branches": (("B2", "branch"),),
    "workplaces": (("B2", "workplace"),),
}


def export(cast, kind: str, tmp_path):
    target = tmp_path / f"{kind}.xlsx"
    export_file(kind, target, user=cast.owner, under=cast.district)
    return target


@pytest.mark.parametrize("start", STARTS)
def test_an_export_writes_hostile_text_escaped_and_never_as_a_formula(cast, tmp_path, start):
    typed = hostile_registry(cast, start)
    for kind, checked in EXPORTED.items():
        target = export(cast, kind, tmp_path)
        assert formulas_in(target) == [], kind
        sheet = workbook(target).worksheets[0]
        for coordinate, key in checked:
            cell = sheet[coordinate]
            assert cell.data_type == "s" and cell.value == escaped_as_read(typed[key]), (kind, key)
            assert unescape(cell.value) == as_read(typed[key])


@pytest.mark.parametrize("start", IMPORTABLE)
def test_an_export_imports_back_unchanged(cast, tmp_path, start):
    hostile_registry(cast, start)
    for kind in ("members", "branches", "workplaces"):
        outcome = import_file(kind, export(cast, kind, tmp_path), user=cast.owner, commit=False)
        assert outcome.errors == [], kind
        assert outcome.counts.unchanged == 1 and outcome.counts.created == outcome.counts.updated == 0, kind


# --- the grid ---------------------------------------------------------------------------------


def hostile_grid(cast, start: str) -> dict[str, str]:
    """A grid whose figures, their choices and the branch's name begin with `start`."""
    typed = {
        "header": hostile(start, "header")[:80],
        "name": hostile(start, "figure"),
        "label": f"{start}Tốt",
        "number_header": f"{start}SUM(A1)",
        "branch": hostile(start, "branch"),
        "district": hostile(start, "district"),
    }
    DataElement.objects.all().delete()
    rating = builders.element(
        "-t_rating",  # a slug may begin with a hyphen: the hidden row of codes must match it still
        ValueType.CHOICE,
        short_name=typed["header"],
        name=typed["name"],
        choices=[
            {"code": "good", "label": typed["label"], "rank": 2},
            {"code": "poor", "label": "Chưa tốt", "rank": 1},
        ],
    )
    houses = builders.element("t_houses", short_name=typed["number_header"], name=typed["name"], unit=f"{start}căn")
    year = builders.period("2024")
    builders.report(rating, cast.branch, year, "good")
    builders.report(houses, cast.branch, year, 3)
    Organization.objects.filter(pk=cast.branch.pk).update(name=typed["branch"])
    Organization.objects.filter(pk=cast.district.pk).update(name=typed["district"])
    return typed


def download(client, cast) -> bytes:
    response = client.get(reverse("indicators:grid_excel", kwargs={"period": "2024", "code": cast.district.code}))
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("start", STARTS)
def test_the_grid_download_writes_hostile_text_as_text(cast, login, start):
    typed = hostile_grid(cast, start)
    content = download(login(cast.owner), cast)
    assert formulas_in(content) == []
    book = workbook(content)
    sheet, instructions = book.worksheets
    assert [cell.value for cell in sheet[1]] == [
        "Mã CĐCS",
        "Tên CĐCS",
        as_read(typed["header"]),
        as_read(typed["number_header"]),
    ]
    assert [cell.value for cell in sheet[3]] == [
        "XP-A-01",
        escaped_as_read(typed["branch"]),
        escaped_as_read(typed["label"]),
        3,
    ]
    assert instructions["A1"].value.endswith(f"· {as_read(typed['district'])}")
    helps = [row[3] for row in instructions.iter_rows(values_only=True) if len(row) > 3 and row[3]]
    assert any(help_text.startswith(as_read(typed["name"])) for help_text in helps)
    assert all(cell.data_type in ("s", "n") for ws in book for row in ws.iter_rows() for cell in row)


@pytest.mark.parametrize("start", IMPORTABLE)
def test_the_grid_download_uploads_back_unchanged(cast, login, start):
    hostile_grid(cast, start)
    client = login(cast.owner)
    upload = SimpleUploadedFile("so-lieu.xlsx", download(client, cast))
    url = reverse("indicators:grid_excel_upload", kwargs={"period": "2024", "code": cast.district.code})
    response = client.post(url, {"file": upload}, follow=True)
    assert "Đã nhập 0 ô, không đổi 2 ô." in response.content.decode()


def test_a_drop_down_list_doubles_the_quotes_of_its_labels(cast, login):
    hostile_grid(cast, "=")
    sheet = workbook(download(login(cast.owner), cast)).worksheets[0]
    formulas = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    assert formulas == ['"=Tốt,Chưa tốt"']
    DataElement.objects.filter(code="-t_rating").update(
        choices=[{"code": "good", "label": 'Tốt","x', "rank": 2}, {"code": "poor", "label": "Chưa tốt", "rank": 1}]
    )
    sheet = workbook(download(login(cast.owner), cast)).worksheets[0]
    assert [v.formula1 for v in sheet.data_validations.dataValidation] == ['"Tốt"",""x,Chưa tốt"']
