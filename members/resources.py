"""django-import-export resource of members, with the headers of the import format.

The portal's own import (members/importers/) is what staff use: it checks every row,
scopes it to the user, and keeps the history. This resource serves the super-administrators'
admin import/export and is the benchmark's peer (bench/import_members.py, run with
use_bulk=True, skip_diff=True, batch_size=1000). Bulk mode saves rows without save(), so
after an import it gives every new member the history the members services would have
written (members.history.on_admission).
"""

from __future__ import annotations

from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader
from import_export.widgets import CachedForeignKeyWidget

from organizations.models import Organization
from unionportal.spreadsheets.widgets import DayWidget, LabelWidget

from . import history
from .importers import GENDERS, ROLES
from .models import BranchRole, Member


class MemberResource(resources.ModelResource):
    card_number = fields.Field(attribute="card_number", column_name="Số thẻ đoàn viên")
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    gender = fields.Field(attribute="gender", column_name="Giới tính", widget=LabelWidget(GENDERS))
    date_of_birth = fields.Field(attribute="date_of_birth", column_name="Ngày sinh", widget=DayWidget())
    ethnicity = fields.Field(attribute="ethnicity", column_name="Dân tộc")
    branch = fields.Field(
        attribute="branch", column_name="Mã CĐCS", widget=CachedForeignKeyWidget(Organization, "code")
    )
    joined_on = fields.Field(attribute="joined_on", column_name="Ngày vào công đoàn", widget=DayWidget())
    role = fields.Field(attribute="role", column_name="Chức vụ", widget=LabelWidget(ROLES, blank=BranchRole.MEMBER))
    last_trained_on = fields.Field(attribute="last_trained_on", column_name="Ngày tập huấn", widget=DayWidget())

    class Meta:
        model = Member
        import_id_fields = ("card_number",)
        fields = (
            "card_number",
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "branch",
            "joined_on",
            "role",
            "last_trained_on",
        )
        export_order = fields
        instance_loader_class = CachedInstanceLoader

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            give_new_members_their_history()


def give_new_members_their_history() -> None:
    """The history of members that have no period yet, as members.history admits a member, in bulk."""
    new = Member.objects.filter(periods__isnull=True).values_list(
        "pk", "branch_id", "joined_on", "role", "last_trained_on"
    )
    history.apply(
        history.on_admission(member_id=pk, branch_id=branch, joined_on=joined, role=role, trained_on=trained)
        for pk, branch, joined, role, trained in new
    )
