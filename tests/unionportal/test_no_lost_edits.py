"""Two people editing the same branch or member: the second save gets a conflict message with the newer value."""

import re

from django.urls import reverse

from members import services as member_services
from organizations import services
from organizations.models import Organization
from tests import factories


def seen_of(page) -> str:
    return re.search(r'name="seen" value="([^"]+)"', page.content.decode()).group(1)


def test_a_stale_branch_edit_is_refused_with_the_newer_name(cast, login):
    client = login(cast.owner)
    url = reverse("organizations:edit", kwargs={"code": cast.branch.code})
    seen = seen_of(client.get(url))
    services.organization_update(organization=cast.branch, by=cast.provincial, name="CĐCS Trường Tiểu học A1 (mới)")

    data = {"seen": seen, "name": "CĐCS Trường A1 (sửa của tôi)", "sector": "school"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    message = " ".join(refused.context["form"].non_field_errors())
    assert "CĐCS Trường Tiểu học A1 (mới)" in message
    assert Organization.objects.get(pk=cast.branch.pk).name == "CĐCS Trường Tiểu học A1 (mới)"

    # Saving again from the refreshed form is a deliberate choice, and goes through.
    again = client.post(url, {**data, "seen": seen_of(refused)})
    assert again.status_code == 302
    assert Organization.objects.get(pk=cast.branch.pk).name == "CĐCS Trường A1 (sửa của tôi)"


def test_a_stale_member_edit_is_refused(cast, login):
    member = factories.make_member(cast.branch, full_name="Nguyễn Thị Hoa")
    client = login(cast.owner)
    url = reverse("members:edit", kwargs={"card_number": member.card_number})
    page = client.get(url)
    seen = seen_of(page)
    member_services.member_update(member=member, by=cast.provincial, full_name="Nguyễn Thị Hoà")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update({"seen": seen, "full_name": "Nguyễn Thị Hoa Mai", "date_of_birth": "17/05/1990"})
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Nguyễn Thị Hoà" in " ".join(refused.context["form"].non_field_errors())
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Thị Hoà"
