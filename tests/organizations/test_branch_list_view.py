from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import services
from organizations.models import Level, Sector
from tests import factories

URL = reverse("organizations:branch_list")


def make_district_branches(district):
    for i in range(3):
        factories.make_branch(district, code=f"XP-A-HC{i}", sector=Sector.ADMINISTRATION)
    for i in range(2):
        factories.make_branch(district, code=f"XP-A-DN{i}", sector=Sector.NON_STATE_ENTERPRISE)


def test_it_lists_the_active_base_unions_of_the_users_district_with_counts_per_sector(cast, login):
    make_district_branches(cast.district)
    response = login(cast.owner).get(URL)
    assert response.status_code == 200
    assert response.context["total"] == 6  # XP-A-01 (school) + 3 + 2
    counts = {value: count for value, _label, count in response.context["sector_counts"]}
    assert counts[Sector.ADMINISTRATION] == 3
    assert counts[Sector.SCHOOL] == 1
    assert counts[Sector.NON_STATE_ENTERPRISE] == 2
    assert counts[Sector.COOPERATIVE] == 0
    codes = {o.code for o in response.context["page"].object_list}
    assert "XP-B-01" not in codes  # the sibling district's branch


def test_the_sector_filter_narrows_the_list_but_keeps_the_counts_of_every_sector(cast, login):
    make_district_branches(cast.district)
    response = login(cast.owner).get(URL, {"sector": Sector.NON_STATE_ENTERPRISE})
    assert {o.code for o in response.context["page"].object_list} == {"XP-A-DN0", "XP-A-DN1"}
    counts = {value: count for value, _label, count in response.context["sector_counts"]}
    assert counts[Sector.ADMINISTRATION] == 3


def test_dissolved_branches_are_hidden_unless_asked_for(cast, login):
    make_district_branches(cast.district)
    services.organization_dissolve(organization=cast.branch, effective_date=cast.branch.founded_on.replace(year=2024))
    client = login(cast.owner)
    assert "XP-A-01" not in {o.code for o in client.get(URL).context["page"].object_list}
    inactive = client.get(URL, {"status": "inactive"}).context["page"].object_list
    assert [o.code for o in inactive] == ["XP-A-01"]
    everything = client.get(URL, {"status": ""}).context["page"].object_list
    assert len(everything) == 6


def test_the_level_filter_shows_upper_level_unions_to_a_provincial_officer(cast, login):
    response = login(cast.provincial).get(URL, {"level": Level.UPPER})
    assert [o.code for o in response.context["page"].object_list] == ["XP-A", "XP-B"]


def test_a_provincial_officer_sees_branches_of_every_district(cast, login):
    response = login(cast.provincial).get(URL)
    assert {o.code for o in response.context["page"].object_list} == {"XP-A-01", "XP-B-01"}


def test_the_text_search_finds_by_name_or_code(cast, login):
    make_district_branches(cast.district)
    response = login(cast.owner).get(URL, {"q": "trường a1"})
    assert [o.code for o in response.context["page"].object_list] == ["XP-A-01"]
    response = login(cast.owner).get(URL, {"q": "dn1"})
    assert [o.code for o in response.context["page"].object_list] == ["XP-A-DN1"]


def test_the_list_pages_by_fifty(cast, login):
    for i in range(60):
        factories.make_branch(cast.district, code=f"XP-A-X{i:02d}")
    client = login(cast.owner)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 50
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 11


def test_the_number_of_queries_does_not_grow_with_the_number_of_branches(cast, login):
    client = login(cast.owner)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(40):
        factories.make_branch(cast.district, code=f"XP-A-Y{i:02d}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.context["total"] == 41
    assert len(many) == len(few) <= 16  # 12 for the page, 1 for the unread notifications, 3 for the session
    assert "LĐLĐ huyện A" in response.content.decode()  # parents shown without a query per row
