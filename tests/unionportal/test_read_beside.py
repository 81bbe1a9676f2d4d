"""unionportal.read_beside: a read on a second connection only where it sees what this one sees."""

import threading

import pytest
from django.db import connection, transaction

from organizations.models import Organization
from tests import factories
from unionportal.read_beside import can_read_beside, read_beside


def _names_and_thread():
    return sorted(Organization.objects.values_list("code", flat=True)), threading.current_thread().name


def _setting(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def _fails():
    raise ValueError("the read failed")


@pytest.mark.django_db(transaction=True)
def test_committed_rows_are_read_beside_in_another_thread_with_the_settings_copied():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: elsewhere the read runs here")
    factories.make_organization(code="XB", name="Thử")
    assert can_read_beside()
    pending = read_beside(_names_and_thread)
    assert pending.beside
    names, thread = pending.result()
    assert names == ["XB"] and thread.startswith("read-beside-")

    # In a transaction that has written nothing, as an export's: its SET LOCAL goes with the read.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '7MB'")
        pending = read_beside(_setting, "work_mem", settings=("work_mem",))
        assert pending.beside and pending.result() == "7MB"


@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_read_beside_is_raised_by_result():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    pending = read_beside(_fails)
    assert pending.beside
    with pytest.raises(ValueError, match="the read failed"):
        pending.result()


def test_rows_this_transaction_wrote_are_read_here(db):
    """In a test's transaction (its rows not committed) another connection would see none of them."""
    factories.make_organization(code="XB", name="Thử")
    pending = read_beside(_names_and_thread)
    assert not pending.beside
    names, thread = pending.result()
    assert names == ["XB"] and thread == threading.current_thread().name
