from django.urls import reverse

from organizations.models import Workplace, WorkplaceKind
from tests import factories

LIST = reverse("organizations:workplace_list")


def make_workplaces(cast):
    factories.make_workplace(cast.district, code="E1", workers=4, kind=WorkplaceKind.NON_STATE_ENTERPRISE)
    factories.make_workplace(cast.district, code="E2", workers=5, female=2, kind=WorkplaceKind.NON_STATE_ENTERPRISE)
    factories.make_workplace(cast.district, code="E3", workers=120, female=80, kind=WorkplaceKind.FDI_ENTERPRISE)
    factories.make_workplace(cast.district, code="E4", workers=30, kind=WorkplaceKind.COOPERATIVE, branch=cast.branch)
    factories.make_workplace(cast.district, code="S1", workers=40, kind=WorkplaceKind.SCHOOL)
    factories.make_workplace(cast.sibling, code="B1", workers=50, kind=WorkplaceKind.NON_STATE_ENTERPRISE)


def codes(response):
    return [w.code for w in response.context["page"].object_list]


def test_enterprises_with_five_or_more_workers_and_no_union_are_one_click_away(cast, login):
    make_workplaces(cast)
    client = login(cast.owner)
    home = client.get(reverse("home")).content.decode()
    assert "kind=enterprises&amp;unionized=no&amp;min_workers=5" in home
    response = client.get(LIST, {"under": "XP-A", "kind": "enterprises", "unionized": "no", "min_workers": 5})
    assert codes(response) == ["E2", "E3"]
    totals = response.context["totals"]
    assert (totals.count, totals.workers, totals.female_workers, totals.unionized) == (2, 125, 82, 0)


def test_the_list_shows_totals_for_what_is_filtered(cast, login):
    make_workplaces(cast)
    response = login(cast.owner).get(LIST)
    assert codes(response) == ["E1", "E2", "E3", "E4", "S1"]
    totals = response.context["totals"]
    assert (totals.count, totals.workers, totals.unionized) == (5, 199, 1)
    assert "199" in response.content.decode()


def test_filters_by_type_and_union(cast, login):
    make_workplaces(cast)
    client = login(cast.owner)
    assert codes(client.get(LIST, {"kind": WorkplaceKind.SCHOOL})) == ["S1"]
    assert codes(client.get(LIST, {"unionized": "yes"})) == ["E4"]


def test_a_workplace_is_added_under_the_users_district(cast, login):
    client = login(cast.owner)
    response = client.post(
        reverse("organizations:workplace_create"),
        {
            "code": "0101234567",
            "name": "Công ty TNHH May Bằng Lang",
            "kind": WorkplaceKind.NON_STATE_ENTERPRISE,
            "worker_count": 48,
            "female_worker_count": 40,
            "upper_union": "XP-A",
            "branch": "",
        },
    )
    assert response.status_code == 302
    workplace = Workplace.objects.get(code="0101234567")
    assert workplace.upper_union.code == "XP-A" and workplace.branch is None


def test_a_tampered_upper_union_from_another_district_is_refused(cast, login):
    response = login(cast.owner).post(
        reverse("organizations:workplace_create"),
        {
            "code": "X1",
            "name": "Công ty X",
            "kind": WorkplaceKind.NON_STATE_ENTERPRISE,
            "worker_count": 10,
            "female_worker_count": 1,
            "upper_union": "XP-B",
            "branch": "XP-B-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "upper_union" in errors and "branch" in errors
    assert not Workplace.objects.filter(code="X1").exists()


def test_women_cannot_outnumber_all_workers(cast, login):
    response = login(cast.owner).post(
        reverse("organizations:workplace_create"),
        {
            "code": "X2",
            "name": "Công ty Y",
            "kind": "school",
            "worker_count": 3,
            "female_worker_count": 5,
            "upper_union": "XP-A",
        },
    )
    assert response.context["form"].errors["female_worker_count"]


def test_editing_a_workplace_links_it_to_the_branch_founded_there(cast, login):
    workplace = factories.make_workplace(cast.district, code="E9", workers=12)
    client = login(cast.owner)
    url = reverse("organizations:workplace_edit", kwargs={"code": "E9"})
    data = {
        "name": workplace.name,
        "kind": workplace.kind,
        "worker_count": 12,
        "female_worker_count": 3,
        "upper_union": "XP-A",
        "branch": "XP-A-01",
    }
    assert client.post(url, data).status_code == 302
    assert Workplace.objects.get(code="E9").branch.code == "XP-A-01"
    detail = client.get(reverse("organizations:workplace_detail", kwargs={"code": "E9"})).content.decode()
    assert "CĐCS Trường A1" in detail


def test_a_branch_officer_reaches_the_workplace_of_its_branch_but_cannot_edit_it(cast, login):
    factories.make_workplace(cast.district, code="E7", branch=cast.branch)
    officer = factories.make_user("chairwoman", organization=cast.branch, role="branch_officer")
    client = login(officer)
    assert client.get(reverse("organizations:workplace_detail", kwargs={"code": "E7"})).status_code == 200
    assert client.get(reverse("organizations:workplace_edit", kwargs={"code": "E7"})).status_code == 403
