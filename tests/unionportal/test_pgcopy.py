"""COPY's text format, fast and exact: a line is escaped value by value only where a value needs it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection, transaction

from unionportal.pgcopy import ByteLines, LineStream, copy_line, copy_value, text_array

ROWS = [
    ("Nguyễn Văn An", None, datetime.date(2020, 5, 1), 7, True, False, ""),
    ("tab\tinside", "back\\slash", "line\nend", "carriage\rreturn", "\\N", None, "N"),
    ("\\", None, None, "ends with \\", "\t", "ok", datetime.datetime(2026, 12, 6, 15, 0, tzinfo=datetime.UTC)),
]


@pytest.mark.parametrize("row", ROWS)
def test_a_line_is_the_values_formatted_one_by_one(row):
    assert copy_line(row) == "\t".join(copy_value(value) for value in row)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.django_db
def test_postgresql_reads_back_every_value_as_written():
    text_rows = [tuple(None if value is None else str(value) for value in row[:4]) for row in ROWS]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copied (n int, a text, b text, c text, d text) ON COMMIT DROP")
        lines = (copy_line((n, *row)) + "\n" for n, row in enumerate(text_rows))
        cursor.copy_expert("COPY copied (n, a, b, c, d) FROM STDIN", LineStream(lines), 1 << 16)
        cursor.execute("SELECT a, b, c, d FROM copied ORDER BY n")
        assert cursor.fetchall() == text_rows
        out = io.StringIO()
        cursor.copy_expert("COPY (SELECT a, b, c, d FROM copied ORDER BY n) TO STDOUT", out)
        assert out.getvalue() == "".join(copy_line(row) + "\n" for row in text_rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.django_db
def test_byte_lines_send_each_line_whole_however_long():
    """ByteLines: one line of bytes a read(), longer than the size COPY asks for, non-ASCII letters included."""
    long = "Đoàn viên Lò Thị Năm " * 20_000  # ~440 KB of UTF-8, several times the 64 KB COPY asks for
    lines = [f"{n}\t{text}\n".encode() for n, text in enumerate([long, "ngắn", long[::-1]])]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copied (n int, a text) ON COMMIT DROP")
        stream = ByteLines(iter(lines))
        cursor.copy_expert("COPY copied (n, a) FROM STDIN", stream, 1 << 16)
        cursor.execute("SELECT a FROM copied ORDER BY n")
        assert [row[0] for row in cursor.fetchall()] == [long, "ngắn", long[::-1]]
    assert stream.read(1 << 16) == b""


ARRAY_ITEMS = [
    "QB00000001",
    "",
    "NULL",
    "null",
    "a,b",
    "{braces}",
    'say "hi"',
    "back\\slash",
    "ends with \\",
    "\\",
    '\\"',
    "  spaces  ",
    "Nguyễn Văn An",
    "tab\tand\nline",
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an array literal of PostgreSQL")
@pytest.mark.django_db
def test_an_array_literal_reads_back_as_the_very_values_none_of_them_null():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT item, item IS NULL FROM unnest(%s::text[]) WITH ORDINALITY AS t(item, n) ORDER BY n",
            [text_array(ARRAY_ITEMS)],
        )
        assert cursor.fetchall() == [(item, False) for item in ARRAY_ITEMS]
        cursor.execute("SELECT cardinality(%s::text[])", [text_array([])])
        assert cursor.fetchone() == (0,)
