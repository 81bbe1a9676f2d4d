"""The periods of data entry: deadlines, the organization's own submission, and the bodies below per level."""

import datetime

from django.urls import reverse

from indicators.workflow import services
from organizations.models import Role
from tests import builders, factories


def test_a_district_sees_every_period_with_its_submission(cast, login):
    year = builders.period("2024")
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    response = login(cast.owner).get(reverse("indicators:periods"))
    assert response.context["organization"] == cast.district and response.context["unit_is_self"]
    rows = {row["period"].code: row for row in response.context["rows"]}
    assert rows["2024"]["submission"].status == "submitted"
    assert rows["2024"]["levels"] == []  # a district's branches do not submit
    assert not response.context["has_levels"]
    next_year = str(datetime.date.today().year + 1)
    assert not rows[next_year]["period"].is_open()  # future periods are shown closed


def test_a_branch_officer_sees_whether_the_district_has_locked_the_figures(cast, login):
    year = builders.period("2024")
    officer = factories.make_user("chair", organization=cast.branch, role=Role.BRANCH_OFFICER)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    response = login(officer).get(reverse("indicators:periods"))
    assert response.context["organization"] == cast.branch and not response.context["unit_is_self"]
    row = next(r for r in response.context["rows"] if r["period"].code == "2024")
    assert row["submission"].is_locked
    assert reverse("indicators:grid", kwargs={"period": "2024", "code": cast.branch.code}) in response.content.decode()


def test_someone_working_in_two_places_picks_the_organization(cast, login):
    from organizations import services as org_services

    org_services.assignment_create(user=cast.outsider, organization=cast.district, role=Role.VIEWER)
    response = login(cast.outsider).get(reverse("indicators:periods"), {"org": cast.district.code})
    assert response.context["organization"] == cast.district
    assert len(response.context["roots"]) == 2
