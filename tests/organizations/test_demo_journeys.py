"""The issue's 'done when', on the demo data: what quangbinh and hagiang see."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def as_user(login, username: str):
    return login(get_user_model().objects.get(username=username))


def test_quangbinh_sees_87_branches_42_44_1_by_sector(login):
    response = as_user(login, "quangbinh").get(reverse("organizations:branch_list"), {"under": "HG-QB"})
    assert response.context["total"] == 87
    counts = {value: count for value, _label, count in response.context["sector_counts"]}
    assert counts == {"hcsn": 42, "school": 44, "state_enterprise": 0, "non_state_enterprise": 0, "cooperative": 1}
    assert (
        "CĐCS Hợp tác xã Quỹ tín dụng Xuân Giang"
        in as_user(login, "quangbinh")
        .get(reverse("organizations:branch_list"), {"sector": "cooperative"})
        .content.decode()
    )


def test_quangbinh_gets_404_on_a_dak_lak_branch(login):
    client = as_user(login, "quangbinh")
    assert client.get(reverse("organizations:detail", kwargs={"code": "DL-BMT-HC01"})).status_code == 404
    assert client.get(reverse("organizations:detail", kwargs={"code": "DL"})).status_code == 404
    assert client.get(reverse("organizations:detail", kwargs={"code": "HG"})).status_code == 404


def test_hagiang_sees_quang_binh_and_its_branches(login):
    client = as_user(login, "hagiang")
    assert client.get(reverse("organizations:detail", kwargs={"code": "HG-QB"})).status_code == 200
    assert client.get(reverse("organizations:detail", kwargs={"code": "HG-QB-TH01"})).status_code == 200
    response = client.get(reverse("organizations:branch_list"), {"under": "HG-QB"})
    assert response.context["total"] == 87


def test_tw_sees_all_four_provinces_and_cannot_edit_a_branch(login):
    client = as_user(login, "tw")
    tree = client.get(reverse("organizations:tree"))
    provinces = {node.organization.code for node in tree.context["roots"][0]["children"]}
    assert provinces == {"HG", "BP", "DL", "QT"}
    assert client.get(reverse("organizations:edit", kwargs={"code": "HG-QB-TH01"})).status_code == 403


def test_quangbinh_is_one_click_from_the_15_enterprises_without_union(login):
    client = as_user(login, "quangbinh")
    home = client.get(reverse("home"))
    assert home.context["cards"][0]["enterprises_without_union"] == 15
    listing = client.get(
        reverse("organizations:workplace_list"),
        {"under": "HG-QB", "kind": "enterprises", "unionized": "no", "min_workers": 5},
    )
    assert listing.context["totals"].count == 15
