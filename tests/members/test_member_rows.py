"""The member list's rows written in Python are the markup its template loop wrote, character for character."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from members.models import BranchRole, Gender, Member, MemberStatus
from members.services import member_mark_left, trainings_record
from tests import factories

# The loop of members/list.html before the rows were written in Python (commit 2999c5a).
LOOP = """{% for m in members %}
        <tr{% if m.status != "active" %} class="inactive-row"{% endif %}>
          <td><a href="{{ m.card_number|url_for:'members:detail' }}">{{ m.full_name }}</a></td>
          <td class="code">{{ m.card_number }}</td>
          <td class="small">{{ m.get_gender_display }}</td>
          <td class="num small">{{ m.date_of_birth.year|year|default:"–" }}</td>
          {% if not under_is_branch %}<td class="small">{{ m.branch.display_name }}</td>{% endif %}
          <td class="small">{% if m.role != "member" %}<span class="fw-semibold">{{ m.get_role_display }}</span>{% else %}{{ m.get_role_display }}{% endif %}</td>
          <td class="small">{{ m.joined_on|dmy }}</td>
          <td class="small">{{ m.last_trained_on|dmy|default:"–" }}</td>
          {% if show_status %}<td><span class="badge {% if m.status == 'active' %}bg-success-subtle text-success-emphasis{% elif m.status == 'transferred' %}bg-info-subtle text-info-emphasis{% else %}bg-secondary-subtle text-secondary-emphasis{% endif %}">{{ m.get_status_display }}{% if m.status_changed_on %} {{ m.status_changed_on|dmy }}{% endif %}</span></td>{% endif %}
        </tr>
      {% endfor %}"""


@pytest.fixture
def members(cast):
    other = factories.make_branch(cast.district, code="XP-A-02", name="CĐCS <Trạm> & 'Y tế'")
    chair = factories.make_member(
        cast.branch, full_name="Triệu <b>Thị</b> Lan", gender=Gender.FEMALE, role=BranchRole.CHAIR
    )
    factories.make_member(cast.branch, full_name="Nông Văn Hùng", date_of_birth=None)
    moved = factories.make_member(cast.branch, full_name="Lục Thị Mai", gender=Gender.FEMALE)
    gone = factories.make_member(other, full_name="Giàng Thị Mỷ")
    member_mark_left(member=gone, effective_date=datetime.date(2023, 1, 1), reason="Nghỉ việc")
    trainings_record(members=[chair], course="Tập huấn", trained_on=datetime.date(2023, 9, 14))
    Member.objects.filter(pk=moved.pk).update(
        status=MemberStatus.TRANSFERRED, status_changed_on=datetime.date(2024, 2, 29)
    )
    return list(Member.objects.select_related("branch").order_by("full_name"))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("under_is_branch", [True, False])
@pytest.mark.parametrize("show_status", [True, False])
def test_the_rows_are_the_loops_markup(members, language, under_is_branch, show_status):
    context = {"members": members, "under_is_branch": under_is_branch, "show_status": show_status}
    with translation.override(language):
        slow = Template(LOOP).render(Context(context))
        fast = Template("{% load member_rows %}{% member_rows members under_is_branch show_status %}").render(
            Context(context)
        )
    assert fast == slow
    assert "&lt;b&gt;" in fast and "1990" in fast


def test_no_member_writes_no_row():
    assert Template("{% load member_rows %}{% member_rows members True True %}").render(Context({"members": []})) == ""
