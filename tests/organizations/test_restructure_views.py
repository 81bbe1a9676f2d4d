"""The restructuring forms: a review step that changes nothing, then a confirmation that does."""

import datetime

from django.urls import reverse

from organizations.models import Organization, OrganizationStatus, RestructuringOperation, Workplace
from tests import factories


def merge_data(sources, **extra):
    data = {
        "sources": [s.code for s in sources],
        "mode": "new",
        "new_code": "XP-A-NEW",
        "new_name": "CĐCS Trường liên cấp A",
        "new_sector": "",
        "effective_date": "01/07/2024",
        "decision": "45/QĐ-LĐLĐ",
        "note": "",
    }
    data.update(extra)
    return data


def test_merging_two_branches_in_the_browser_shows_both_predecessors_on_the_new_branch(cast, login):
    second = factories.make_branch(cast.district, code="XP-A-02", name="CĐCS Trường A2")
    factories.make_workplace(cast.district, code="WP-A2", branch=second)
    client = login(cast.owner)
    url = reverse("organizations:merge", kwargs={"code": cast.district.code})

    review = client.post(url, merge_data([cast.branch, second]))
    assert review.status_code == 200
    assert "organizations/restructure_confirm.html" in [t.name for t in review.templates]
    assert not Organization.objects.filter(code="XP-A-NEW").exists()  # the review changes nothing
    assert RestructuringOperation.objects.filter(kind="merge").count() == 0

    done = client.post(url, {**merge_data([cast.branch, second]), "confirm": "1"})
    assert done.status_code == 302
    assert done.url == reverse("organizations:detail", kwargs={"code": "XP-A-NEW"})

    page = client.get(done.url).content.decode()
    assert "CĐCS Trường A1" in page and "CĐCS Trường A2" in page
    assert "01/07/2024" in page
    assert Workplace.objects.get(code="WP-A2").branch.code == "XP-A-NEW"

    for code in ("XP-A-01", "XP-A-02"):
        old = Organization.objects.get(code=code)
        assert old.status == OrganizationStatus.MERGED
        assert old.dissolved_on == datetime.date(2024, 7, 1)
        old_page = client.get(reverse("organizations:detail", kwargs={"code": code})).content.decode()
        assert "Đã hợp nhất" in old_page and "01/07/2024" in old_page
        assert "XP-A-NEW" in old_page


def test_the_merge_form_refuses_a_branch_of_another_district(cast, login):
    second = factories.make_branch(cast.district, code="XP-A-02")
    client = login(cast.owner)
    url = reverse("organizations:merge", kwargs={"code": cast.district.code})
    response = client.post(
        url, {**merge_data([cast.branch, second]), "sources": ["XP-A-01", "XP-B-01"], "confirm": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sources"]
    assert Organization.objects.get(code="XP-B-01").status == OrganizationStatus.ACTIVE


def test_the_merge_form_says_what_is_missing(cast, login):
    client = login(cast.owner)
    url = reverse("organizations:merge", kwargs={"code": cast.district.code})
    response = client.post(url, merge_data([cast.branch], new_code="", effective_date="31/02/2024"))
    errors = response.context["form"].errors
    assert "sources" in errors and "new_code" in errors and "effective_date" in errors
    assert "dd/mm/yyyy" in errors["effective_date"][0]


def test_going_back_from_the_review_keeps_what_was_typed(cast, login):
    second = factories.make_branch(cast.district, code="XP-A-02")
    client = login(cast.owner)
    url = reverse("organizations:merge", kwargs={"code": cast.district.code})
    response = client.post(url, {**merge_data([cast.branch, second]), "back": "1"})
    assert "organizations/restructure_form.html" in [t.name for t in response.templates]
    assert 'value="XP-A-NEW"' in response.content.decode()


def test_dissolving_in_the_browser_keeps_the_branch_visible_as_dissolved(cast, login):
    client = login(cast.owner)
    url = reverse("organizations:dissolve", kwargs={"code": cast.branch.code})
    data = {"effective_date": "31/12/2023", "decision": "", "note": "Trường sáp nhập"}
    assert client.post(url, data).status_code == 200
    assert Organization.objects.get(pk=cast.branch.pk).status == OrganizationStatus.ACTIVE
    assert client.post(url, {**data, "confirm": "1"}).status_code == 302
    branch = Organization.objects.get(pk=cast.branch.pk)
    assert branch.status == OrganizationStatus.DISSOLVED
    assert branch.dissolved_on == datetime.date(2023, 12, 31)
    page = client.get(reverse("organizations:detail", kwargs={"code": branch.code})).content.decode()
    assert "Đã giải thể" in page and "Trường sáp nhập" in page


def test_moving_a_branch_offers_only_bodies_the_user_may_write_to(cast, login):
    other_district = factories.make_organization(cast.province, code="XP-C")
    factories.make_user("two-districts", organization=other_district, role="upper_staff")
    client = login(cast.provincial)
    url = reverse("organizations:move", kwargs={"code": cast.branch.code})
    choices = [code for code, _label in client.get(url).context["form"].fields["new_parent"].choices if code]
    assert "XP-B" in [str(c) for c in choices] and "XP-C" in [str(c) for c in choices]
    assert "XP-A" not in [str(c) for c in choices]  # its current parent

    # The district's own staff cannot move a branch into the sibling district.
    owner_choices = login(cast.owner).get(url).context["form"].fields["new_parent"].choices
    assert "XP-B" not in [str(code) for code, _label in owner_choices]
    response = login(cast.owner).post(url, {"new_parent": "XP-B", "effective_date": "01/01/2025", "confirm": "1"})
    assert response.status_code == 200 and response.context["form"].errors["new_parent"]


def test_a_provincial_officer_moves_a_branch_to_the_sibling_district(cast, login):
    client = login(cast.provincial)
    url = reverse("organizations:move", kwargs={"code": cast.branch.code})
    data = {"new_parent": "XP-B", "effective_date": "01/01/2025", "decision": "", "note": "", "confirm": "1"}
    assert client.post(url, data).status_code == 302
    moved = Organization.objects.get(pk=cast.branch.pk)
    assert moved.parent().code == "XP-B"
    page = client.get(reverse("organizations:detail", kwargs={"code": moved.code})).content.decode()
    assert "LĐLĐ huyện A" in page and "LĐLĐ huyện B" in page


def test_splitting_in_the_browser_shares_out_the_workplaces(cast, login):
    first = factories.make_workplace(cast.district, code="WP-1", branch=cast.branch)
    second = factories.make_workplace(cast.district, code="WP-2", branch=cast.branch)
    client = login(cast.owner)
    url = reverse("organizations:split", kwargs={"code": cast.branch.code})
    data = {
        "code_1": "XP-A-S1",
        "name_1": "CĐCS Trường A1 cơ sở 1",
        "code_2": "XP-A-S2",
        "name_2": "CĐCS Trường A1 cơ sở 2",
        f"workplace_{first.pk}": "1",
        f"workplace_{second.pk}": "2",
        "effective_date": "01/09/2024",
        "confirm": "1",
    }
    assert client.post(url, data).status_code == 302
    assert Workplace.objects.get(code="WP-1").branch.code == "XP-A-S1"
    assert Workplace.objects.get(code="WP-2").branch.code == "XP-A-S2"
    assert Organization.objects.get(pk=cast.branch.pk).status == OrganizationStatus.SPLIT
    page = client.get(reverse("organizations:detail", kwargs={"code": "XP-A-S2"})).content.decode()
    assert "CĐCS Trường A1" in page
