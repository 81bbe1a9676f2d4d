"""Exports with personal data need their own right, and every one is logged."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.models import ExportLog
from tests import factories

URL = reverse("imports:export", kwargs={"kind": "members"})


def test_district_staff_export_members_and_the_export_is_logged(cast, login):
    factories.make_member(cast.branch)
    response = login(cast.owner).get(URL, {"under": cast.district.code})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [log] = ExportLog.objects.all()
    assert (log.user, log.kind, log.organization, log.rows, log.channel) == (
        cast.owner,
        "members",
        cast.district,
        1,
        "web",
    )


@pytest.mark.parametrize("who", ["colleague", "national_officer"])
def test_roles_without_the_right_get_403_and_nothing_is_logged(cast, login, who):
    response = login(getattr(cast, who)).get(URL, {"under": cast.district.code})
    assert response.status_code == 403
    assert not ExportLog.objects.exists()


def test_workplace_exports_carry_no_personal_data_and_are_not_restricted(cast, login):
    response = login(cast.colleague).get(reverse("imports:export", kwargs={"kind": "workplaces"}))
    assert response.status_code == 200
    assert not ExportLog.objects.exists()


def test_the_command_checks_the_right_and_logs_too(cast, tmp_path):
    factories.make_member(cast.branch)
    out = tmp_path / "m.xlsx"
    call_command("export_data", "members", organization="XP-A", output=str(out), user="owner", stdout=io.StringIO())
    assert ExportLog.objects.get().channel == "command"
    with pytest.raises(CommandError):
        call_command(
            "export_data", "members", organization="XP-A", output=str(out), user="colleague", stdout=io.StringIO()
        )
