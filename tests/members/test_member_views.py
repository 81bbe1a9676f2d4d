"""The member pages: list (filters, search, paging, totals), detail, add, edit, transfer, role, leave, training."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import BranchRole, Gender, Member, MemberStatus, Training
from members.services import member_mark_left, trainings_record
from tests import factories
from unionportal.templatetags.vn import share

D = datetime.date
LIST = reverse("members:list")


def detail_url(member, name="members:detail"):
    return reverse(name, kwargs={"card_number": member.card_number})


def names(response) -> list[str]:
    return [m.full_name for m in response.context["page"].object_list]


@pytest.fixture
def people(cast):
    """Five members of the owner's district (three women, one of whom left) and one of the sibling district."""
    a02 = factories.make_branch(cast.district, code="XP-A-02", name="CĐCS Trạm Y tế A2")
    chair = factories.make_member(cast.branch, full_name="Triệu Thị Lan", gender=Gender.FEMALE, role=BranchRole.CHAIR)
    vice = factories.make_member(cast.branch, full_name="Nông Văn Hùng", role=BranchRole.VICE_CHAIR)
    plain = factories.make_member(cast.branch, full_name="Lục Thị Mai", gender=Gender.FEMALE, card_number="HG10000042")
    other = factories.make_member(a02, full_name="Hoàng Văn Nam")
    gone = factories.make_member(a02, full_name="Giàng Thị Mỷ", gender=Gender.FEMALE)
    member_mark_left(member=gone, effective_date=D(2023, 1, 1), reason="Nghỉ việc")
    trainings_record(members=[chair, other], course="Tập huấn 2023", trained_on=D(2023, 9, 14))
    foreign = factories.make_member(cast.sibling_branch, full_name="Vàng Seo Chứ")
    return {"a02": a02, "chair": chair, "vice": vice, "plain": plain, "other": other, "gone": gone, "foreign": foreign}


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_the_active_members_of_the_users_district_with_totals(cast, login, people):
    response = login(cast.owner).get(LIST)

    assert response.context["under"] == cast.district
    # Branch by branch, leaders first, then by name.
    assert names(response) == ["Triệu Thị Lan", "Nông Văn Hùng", "Lục Thị Mai", "Hoàng Văn Nam"]
    totals = response.context["totals"]
    assert (totals.count, totals.women, totals.trained, totals.committee) == (4, 2, 2, 2)
    page = response.content.decode()
    assert "2 <span" in page and "(50,00 %)" in page  # women and their share
    assert "Vàng Seo Chứ" not in page


def test_a_row_reads_as_the_register_writes_it(cast, login, people):
    """Link, year of birth (never grouped: 1990, not 1.990), dates d/m/Y, the status badge with its date."""
    page = login(cast.owner).get(LIST, {"status": ""}).content.decode()
    gone = Member.objects.get(pk=people["gone"].pk)
    row = page[page.index(f'<a href="{detail_url(gone)}">Giàng Thị Mỷ</a>') :]
    row = row[: row.index("</tr>")]
    assert f'<td class="code">{gone.card_number}</td>' in row
    assert '<td class="num small">1990</td>' in row
    assert row.count('<td class="small">01/03/2018</td>') == 1  # joined
    assert '<td class="small">–</td>' in row  # never trained
    assert f">{gone.get_status_display()} 01/01/2023</span>" in row
    assert '<span class="fw-semibold">' in page[page.index("Triệu Thị Lan") :]  # the chair stands out


def test_the_women_figure_carries_its_share(cast, login):
    for i in range(3):
        factories.make_member(cast.branch, gender=Gender.FEMALE if i < 2 else Gender.MALE)

    response = login(cast.owner).get(LIST, {"under": cast.branch.code})

    assert f'2 <span class="fs-6 fw-normal text-secondary">({share(2, 3)})</span>' in response.content.decode()
    assert response.context["under_is_branch"] is True


def test_members_who_left_are_listed_when_asked_for(cast, login, people):
    client = login(cast.owner)

    assert names(client.get(LIST, {"status": MemberStatus.LEFT})) == ["Giàng Thị Mỷ"]
    everyone = client.get(LIST, {"status": ""})
    assert len(names(everyone)) == 5
    assert everyone.context["totals"].active == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "lục thị"}, ["Lục Thị Mai"]),
        ({"q": "hg10000042"}, ["Lục Thị Mai"]),
        ({"gender": Gender.FEMALE}, ["Triệu Thị Lan", "Lục Thị Mai"]),
        ({"role": BranchRole.CHAIR}, ["Triệu Thị Lan"]),
        ({"role": "committee"}, ["Triệu Thị Lan", "Nông Văn Hùng"]),
        ({"trained": "yes"}, ["Triệu Thị Lan", "Hoàng Văn Nam"]),
        ({"trained": "no"}, ["Nông Văn Hùng", "Lục Thị Mai"]),
        ({"under": "XP-A-02"}, ["Hoàng Văn Nam"]),
        ({"trained": "yes", "gender": Gender.MALE}, ["Hoàng Văn Nam"]),
    ],
)
def test_search_and_filters_narrow_the_list_and_its_totals(cast, login, people, params, expected):
    response = login(cast.owner).get(LIST, params)

    assert names(response) == expected
    assert response.context["totals"].count == len(expected)


def test_a_provincial_officer_sees_the_members_of_every_district(cast, login, people):
    response = login(cast.provincial).get(LIST)

    assert "Vàng Seo Chứ" in names(response)
    assert response.context["totals"].count == 5


def test_the_list_pages_by_fifty(cast, login):
    for _ in range(55):
        factories.make_member(cast.branch)
    client = login(cast.owner)

    assert len(names(client.get(LIST))) == 50
    second = client.get(LIST, {"page": 2})
    assert len(names(second)) == 5
    assert second.context["totals"].count == 55  # the totals cover every page


def test_the_number_of_queries_does_not_grow_with_the_number_of_members(cast, login):
    a02 = factories.make_branch(cast.district, code="XP-A-02")
    factories.make_member(cast.branch)
    client = login(cast.owner)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for i in range(30):
        factories.make_member(cast.branch if i % 2 else a02, role=BranchRole.EXECUTIVE if i < 4 else BranchRole.MEMBER)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert response.context["totals"].count == 31
    assert len(many) == len(few) <= 12
    assert "CĐCS Trường A1" in response.content.decode()  # branches shown without a query per row


def test_the_list_links_to_adding_a_member_and_recording_a_training_only_for_editors(cast, login, people):
    owner_page = login(cast.owner).get(LIST, {"under": cast.branch.code})
    assert owner_page.context["can_add"] and owner_page.context["can_record_training"]
    assert f"{reverse('members:create')}?branch=XP-A-01" in owner_page.content.decode()

    reader_page = login(cast.colleague).get(LIST, {"under": cast.branch.code})
    assert not reader_page.context["can_add"] and not reader_page.context["can_record_training"]


def test_a_branch_page_links_to_its_members(cast, login):
    page = login(cast.colleague).get(reverse("organizations:detail", kwargs={"code": cast.branch.code}))
    assert f"{LIST}?under=XP-A-01" in page.content.decode()


# --- the detail page --------------------------------------------------------------------------------


def test_the_detail_page_shows_the_periods_roles_and_trainings(cast, login, people):
    from members.services import member_transfer

    member_transfer(member=people["vice"], to_branch=people["a02"], effective_date=D(2022, 1, 1), note="QĐ 7")
    response = login(cast.owner).get(detail_url(people["vice"]))

    history = response.context["history"]
    assert [(p.branch.code, p.start_on, p.end_on) for p in history.periods] == [
        ("XP-A-01", D(2018, 3, 1), D(2022, 1, 1)),
        ("XP-A-02", D(2022, 1, 1), None),
    ]
    assert [(r.role, r.end_on) for r in history.roles] == [(BranchRole.VICE_CHAIR, D(2022, 1, 1))]
    page = response.content.decode()
    assert "CĐCS Trường A1" in page and "CĐCS Trạm Y tế A2" in page and "QĐ 7" in page
    assert "01/01/2022" in page


def test_the_detail_page_offers_the_changes_only_while_the_member_is_active(cast, login, people):
    client = login(cast.owner)
    active = client.get(detail_url(people["plain"])).content.decode()
    assert detail_url(people["plain"], "members:transfer") in active

    left = client.get(detail_url(people["gone"]))
    assert left.context["can_edit"] and not left.context["can_change"]
    assert detail_url(people["gone"], "members:transfer") not in left.content.decode()


# --- adding and editing -----------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "branch": "XP-A-01",
        "full_name": "Sùng Thị Say",
        "gender": Gender.FEMALE,
        "date_of_birth": "12/08/1992",
        "ethnicity": "H'Mông",
        "citizen_id": "002192 004567",
        "card_number": "hg10009999",
        "card_issued_on": "01/10/2019",
        "joined_on": "15/09/2019",
        "role": BranchRole.MEMBER,
        "trained_on": "",
        "training_course": "",
        "training_organizer": "",
    }
    data.update(overrides)
    return data


def test_district_staff_add_a_member_in_the_browser(cast, login):
    client = login(cast.owner)
    url = f"{reverse('members:create')}?branch=XP-A-01"
    assert client.get(url).context["form"].initial["branch"] == "XP-A-01"

    response = client.post(url, form_data())

    member = Member.objects.get(card_number="HG10009999")
    assert response.status_code == 302
    assert response.url == detail_url(member)
    assert (member.full_name, member.citizen_id, member.date_of_birth) == (
        "Sùng Thị Say",
        "002192004567",
        D(1992, 8, 12),
    )
    assert list(member.periods.values_list("branch__code", "start_on")) == [("XP-A-01", D(2019, 9, 15))]


def test_a_new_chairperson_with_a_training(cast, login):
    response = login(cast.owner).post(
        reverse("members:create"),
        form_data(role=BranchRole.CHAIR, trained_on="20/10/2020", training_course="Tập huấn 2020"),
    )

    assert response.status_code == 302
    member = Member.objects.get(card_number="HG10009999")
    assert member.role == BranchRole.CHAIR
    assert member.last_trained_on == D(2020, 10, 20)
    assert member.roles.count() == member.trainings.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": "16/09/2019"}, "date_of_birth"),  # after joining: the service refuses
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"joined_on": "2019/15/09"}, "joined_on"),
        ({"branch": "XP-B-01"}, "branch"),  # outside the owner's scope: not a choice
        ({"branch": "XP-A"}, "branch"),  # a district is not a base union
        ({"trained_on": "20/10/2020"}, "training_course"),
    ],
)
def test_the_add_form_shows_what_is_wrong(cast, login, overrides, field):
    response = login(cast.owner).post(reverse("members:create"), form_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Member.objects.exists()


def test_a_card_number_in_use_is_refused_on_the_form(cast, login):
    factories.make_member(cast.sibling_branch, card_number="HG10009999")

    response = login(cast.owner).post(reverse("members:create"), form_data())

    assert "HG10009999" in response.context["form"].errors["card_number"][0]


def test_a_district_is_not_a_branch_to_add_members_to(cast, login):
    response = login(cast.owner).get(reverse("members:create"), {"branch": cast.district.code})
    assert response.status_code == 302
    assert response.url == reverse("members:create")


def test_editing_changes_who_the_member_is_but_not_where_they_belong(cast, login, people):
    member = people["plain"]
    response = login(cast.owner).post(
        detail_url(member, "members:edit"),
        {
            "full_name": "Lục Thị Mai Anh",
            "gender": Gender.FEMALE,
            "date_of_birth": "17/05/1990",
            "ethnicity": "Tày",
            "citizen_id": "",
            "card_issued_on": "",
            "card_number": "HACKED",
            "branch": "XP-B-01",
            "role": BranchRole.CHAIR,
        },
    )

    assert response.status_code == 302
    member = Member.objects.get(pk=member.pk)
    assert (member.full_name, member.ethnicity) == ("Lục Thị Mai Anh", "Tày")
    assert (member.card_number, member.branch.code, member.role) == ("HG10000042", "XP-A-01", BranchRole.MEMBER)


# --- transfer, role, leave ----------------------------------------------------------------------------


def test_a_member_is_transferred_to_another_branch_of_the_district(cast, login, people):
    member = people["plain"]
    client = login(cast.owner)
    choices = [
        code
        for code, _label in client.get(detail_url(member, "members:transfer"))
        .context["form"]
        .fields["to_branch"]
        .choices
        if code
    ]
    assert [str(code) for code in choices] == ["XP-A-02"]  # not the member's own branch, not the sibling district's

    response = client.post(
        detail_url(member, "members:transfer"), {"to_branch": "XP-A-02", "effective_date": "01/07/2023", "note": ""}
    )

    assert response.status_code == 302
    member = Member.objects.get(pk=member.pk)
    assert member.branch.code == "XP-A-02"
    assert member.periods.count() == 2


def test_a_transfer_outside_the_users_scope_is_refused(cast, login, people):
    response = login(cast.owner).post(
        detail_url(people["plain"], "members:transfer"), {"to_branch": "XP-B-01", "effective_date": "01/07/2023"}
    )

    assert "to_branch" in response.context["form"].errors
    assert Member.objects.get(pk=people["plain"].pk).branch == cast.branch


def test_a_transfer_dated_before_joining_shows_the_services_refusal_on_the_date(cast, login, people):
    response = login(cast.owner).post(
        detail_url(people["plain"], "members:transfer"), {"to_branch": "XP-A-02", "effective_date": "01/07/2010"}
    )

    assert response.status_code == 200
    assert "effective_date" in response.context["form"].errors


def test_a_member_is_marked_as_left(cast, login, people):
    response = login(cast.owner).post(
        detail_url(people["plain"], "members:leave"),
        {"status": MemberStatus.LEFT, "effective_date": "30/06/2024", "reason": "Nghỉ hưu"},
    )

    assert response.status_code == 302
    member = Member.objects.get(pk=people["plain"].pk)
    assert (member.status, member.status_changed_on, member.status_reason) == (
        MemberStatus.LEFT,
        D(2024, 6, 30),
        "Nghỉ hưu",
    )


def test_a_member_is_elected_vice_chair(cast, login, people):
    client = login(cast.owner)
    form = client.get(detail_url(people["plain"], "members:role")).context["form"]
    assert BranchRole.MEMBER not in dict(form.fields["role"].choices)  # the role held now is not offered

    response = client.post(
        detail_url(people["plain"], "members:role"), {"role": BranchRole.VICE_CHAIR, "effective_date": "20/05/2023"}
    )

    assert response.status_code == 302
    assert Member.objects.get(pk=people["plain"].pk).role == BranchRole.VICE_CHAIR


def test_a_second_chair_is_refused_on_the_role_form(cast, login, people):
    response = login(cast.owner).post(
        detail_url(people["plain"], "members:role"), {"role": BranchRole.CHAIR, "effective_date": "20/05/2023"}
    )

    assert "Triệu Thị Lan" in response.context["form"].errors["role"][0]


@pytest.mark.parametrize("name", ["members:transfer", "members:role", "members:leave"])
def test_a_member_who_has_left_is_sent_back_to_their_page(cast, login, people, name):
    response = login(cast.owner).get(detail_url(people["gone"], name))

    assert response.status_code == 302
    assert response.url == detail_url(people["gone"])


# --- the training form --------------------------------------------------------------------------------

TRAINING = reverse("members:training")


def test_the_training_form_lists_the_active_members_under_the_chosen_body(cast, login, people):
    response = login(cast.owner).get(TRAINING, {"under": cast.district.code})

    candidates = [m.full_name for m in response.context["form"].fields["members"].queryset]
    assert candidates == ["Triệu Thị Lan", "Nông Văn Hùng", "Lục Thị Mai", "Hoàng Văn Nam"]  # not the one who left


def test_the_training_form_narrows_by_role_and_ticks_them_all_on_request(cast, login, people):
    response = login(cast.owner).get(TRAINING, {"under": cast.district.code, "role": "committee", "all": "1"})

    assert response.context["candidate_count"] == 2
    assert sorted(response.context["form"].initial["members"]) == sorted(
        [people["chair"].card_number, people["vice"].card_number]
    )


def test_a_training_is_recorded_for_the_members_ticked(cast, login, people):
    response = login(cast.owner).post(
        f"{TRAINING}?under=XP-A",
        {
            "course": "Bồi dưỡng nghiệp vụ 2024",
            "trained_on": "12/04/2024",
            "organizer": "LĐLĐ huyện A",
            "members": [people["vice"].card_number, people["plain"].card_number],
        },
    )

    assert response.status_code == 302
    assert response.url == f"{LIST}?under=XP-A"
    assert set(
        Training.objects.filter(course="Bồi dưỡng nghiệp vụ 2024").values_list("member__full_name", flat=True)
    ) == {
        "Nông Văn Hùng",
        "Lục Thị Mai",
    }


def test_members_outside_the_list_cannot_be_slipped_into_a_training(cast, login, people):
    response = login(cast.owner).post(
        f"{TRAINING}?under=XP-A-02",
        {"course": "Khóa X", "trained_on": "12/04/2024", "members": [people["plain"].card_number]},
    )

    assert "members" in response.context["form"].errors
    assert not Training.objects.filter(course="Khóa X").exists()


def test_a_list_too_long_to_tick_asks_to_be_narrowed(cast, login, people, monkeypatch):
    from members.views import trainings

    monkeypatch.setattr(trainings, "MAX_CANDIDATES", 3)
    response = login(cast.owner).get(TRAINING, {"under": cast.district.code})

    assert response.context["too_many"]
    assert 'name="members"' not in response.content.decode()
