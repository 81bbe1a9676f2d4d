"""The admin's import of members (django-import-export) gives new members the history the services give."""

from __future__ import annotations

import datetime

import pytest
import tablib

from members import history
from members.models import BranchRole, Member, MemberRole, MembershipPeriod, Training
from members.resources import MemberResource

D = datetime.date


class BulkMemberResource(MemberResource):
    class Meta(MemberResource.Meta):
        use_bulk = True
        skip_diff = True
        batch_size = 1000


@pytest.mark.parametrize("resource", [MemberResource, BulkMemberResource])
def test_an_admin_import_gives_each_new_member_their_period_role_and_training(cast, resource):
    dataset = tablib.Dataset(
        ["AD001", "Nguyễn Thị Hoa", "Nữ", "20/11/1985", "Kinh", "XP-A-01", "05/01/2010", "Chủ tịch", "12/06/2023"],
        ["AD002", "Trần Văn Nam", "Nam", "", "Tày", "XP-A-01", "15/08/2015", "", ""],
        headers=[field.column_name for field in MemberResource().get_import_fields()],
    )

    result = resource().import_data(dataset, dry_run=False, raise_errors=True)

    assert not result.has_errors()
    chair, plain = Member.objects.get(card_number="AD001"), Member.objects.get(card_number="AD002")
    assert list(MembershipPeriod.objects.values_list("member_id", "branch_id", "start_on", "end_on")) == [
        (chair.pk, cast.branch.pk, D(2010, 1, 5), None),
        (plain.pk, cast.branch.pk, D(2015, 8, 15), None),
    ]
    assert list(MemberRole.objects.values_list("member_id", "role", "start_on")) == [
        (chair.pk, BranchRole.CHAIR, D(2010, 1, 5))
    ]
    assert list(Training.objects.values_list("member_id", "course", "trained_on")) == [
        (chair.pk, history.TRAINING_COURSE, D(2023, 6, 12))
    ]
