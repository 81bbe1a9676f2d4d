"""What the list pages write per row without Django's slower paths: each writes what the slow path writes."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Gender, Member
from organizations.models import Organization
from organizations.permissions import scope_for
from organizations.selectors import tree_roots
from unionportal.templatetags.links import fixed_url, url_for


@pytest.mark.parametrize("code", ["XP-A-01", "TV00000042", "Đà Nẵng 1", "a%b&c?d#e", "x:y@z~"])
@pytest.mark.parametrize("view", ["organizations:detail", "organizations:children", "members:detail"])
def test_a_rows_link_is_the_one_reverse_writes(view, code):
    assert url_for(code, view) == reverse(view, args=[code])


def test_a_value_reverse_would_refuse_goes_through_reverse():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        url_for("a/b", "organizations:detail")


@pytest.mark.parametrize("view", ["home", "members:list", "organizations:tree", "set_language", "logout"])
def test_a_menu_link_is_the_one_reverse_writes(view):
    assert fixed_url(view) == reverse(view)


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2025, 9, 5),
        datetime.date(987, 12, 31),
        datetime.datetime(2025, 1, 1, 23, 30, tzinfo=datetime.UTC),  # 2 January in Hà Nội
        None,
        "",
    ],
)
def test_a_day_reads_as_the_date_filter_writes_it(value):
    slow = Template('{{ value|date:"d/m/Y" }}').render(Context({"value": value}))
    fast = Template("{{ value|dmy }}").render(Context({"value": value}))
    assert fast == slow
    if isinstance(value, datetime.datetime):
        assert fast == timezone.localtime(value).strftime("%d/%m/%Y") == "02/01/2025"


def test_choice_labels_are_djangos_in_the_language_of_the_moment():
    member = Member(gender=Gender.FEMALE, status="active", role="chair")
    with translation.override("vi"):
        vietnamese = (member.get_gender_display(), member.get_status_display(), member.get_role_display())
    with translation.override("en"):
        english = (member.get_gender_display(), member.get_status_display(), member.get_role_display())
    assert english == ("Female", "Active", "Chairperson") != vietnamese
    unknown = Member(gender="zz")
    assert unknown.get_gender_display() == "zz"  # a value outside the choices reads as itself, as in Django
    assert Organization(status="active").get_status_display()


def test_the_tops_of_a_users_subtrees_are_read_once_a_request(cast):
    scope_for(cast.owner)  # the scope's own query
    with CaptureQueriesContext(connection) as queries:
        first = tree_roots(cast.owner)
        second = tree_roots(cast.owner)
    assert [o.code for o in first] == [o.code for o in second] == ["XP-A"]
    assert first is not second  # a caller may change its own list
    assert len(queries) == 1
