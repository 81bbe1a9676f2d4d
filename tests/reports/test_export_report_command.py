import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.reports.test_report_data import setup_program


def test_json_has_the_documented_shape(cast, tmp_path):
    setup_program(cast)
    out = tmp_path / "r.json"
    call_command("export_report", organization="XP", program="XP-CTR", period="2024", format="json", output=str(out))
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["organization"] == "XP" and payload["period"] == "2024"
    assert [i["code"] for i in payload["indicators"]] == ["1", "2"]
    assert payload["indicators"][1]["actual"] == 90


def test_pdf_and_xlsx_files_are_written(cast, tmp_path):
    setup_program(cast)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    call_command("export_report", organization="XP-A", program="XP-CTR", period="2024", format="pdf", output=str(pdf))
    call_command("export_report", organization="XP-A", program="XP-CTR", period="2024", format="xlsx", output=str(xlsx))
    assert "BÁO CÁO" in PdfReader(str(pdf)).pages[0].extract_text()
    assert xlsx.read_bytes()[:2] == b"PK"


def test_the_word_file_is_written(cast, tmp_path):
    import docx

    setup_program(cast)
    out = tmp_path / "r.docx"
    call_command("export_report", organization="XP-A", program="XP-CTR", period="2024", format="docx", output=str(out))
    document = docx.Document(str(out))
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    assert [row.cells[0].text for row in document.tables[1].rows] == ["STT", "1", "2"]


def test_bad_arguments_are_refused(cast, tmp_path):
    setup_program(cast)
    out = str(tmp_path / "x.json")
    with pytest.raises(CommandError):
        call_command("export_report", organization="NOPE", program="XP-CTR", period="2024", format="json", output=out)
    with pytest.raises(CommandError):
        call_command("export_report", organization="XP", program="XP-CTR", period="2024-Q3", format="json", output=out)
    with pytest.raises(CommandError):
        call_command(
            "export_report",
            organization="XP-B",
            program="XP-CTR",
            period="2024",
            format="json",
            output=out,
            user="owner",
        )
