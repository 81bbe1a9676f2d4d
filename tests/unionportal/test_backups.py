"""make backup / make restore: a round trip gives back the same rows."""

import pytest
from django.apps import apps
from django.core.management import call_command

from organizations.models import Organization, Workplace
from tests import factories


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row(tmp_path):
    national = factories.make_organization(code="BVN")
    district = factories.make_organization(factories.make_organization(national, code="BP1"), code="BP1-A")
    for i in range(3):
        branch = factories.make_branch(district, code=f"BP1-A-{i}")
        factories.make_workplace(district, code=f"BW{i}", branch=branch)
        factories.make_member(branch)
    before = row_counts()
    target = tmp_path / "backup.bin"
    call_command("backup_db", output=str(target))
    assert target.stat().st_size > 0

    Workplace.objects.all().delete()
    Organization.objects.filter(code="BP1-A-2").update(name="đã sửa sau khi sao lưu")
    assert row_counts() != before

    call_command("restore_db", str(target))
    assert row_counts() == before
    assert Organization.objects.get(code="BP1-A-2").name == "Tổ chức BP1-A-2"


def test_restoring_a_missing_file_is_refused(tmp_path, db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("restore_db", str(tmp_path / "nothing.dump"))
