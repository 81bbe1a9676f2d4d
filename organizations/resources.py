"""django-import-export resources of workplaces and base unions, with the headers of the import format.

For the super-administrators' admin. Staff import through the portal's pages
(organizations/importers.py), which check scope and every row. Base unions are exported
only here: founding one places it in the tree and records the founding, which only
organization_create does.
"""

from __future__ import annotations

from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader
from import_export.widgets import CachedForeignKeyWidget

from unionportal.spreadsheets.widgets import DayWidget, LabelWidget

from .importers import SECTORS, WORKPLACE_KINDS
from .models import Organization, Workplace


class WorkplaceResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="Mã đơn vị")
    name = fields.Field(attribute="name", column_name="Tên đơn vị")
    kind = fields.Field(attribute="kind", column_name="Loại hình", widget=LabelWidget(WORKPLACE_KINDS))
    worker_count = fields.Field(attribute="worker_count", column_name="Số lao động")
    female_worker_count = fields.Field(attribute="female_worker_count", column_name="Số lao động nữ")
    upper_union = fields.Field(
        attribute="upper_union",
        column_name="Mã công đoàn cấp trên",
        widget=CachedForeignKeyWidget(Organization, "code"),
    )

    class Meta:
        model = Workplace
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "worker_count", "female_worker_count", "upper_union")
        export_order = fields
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True  # Workplace.clean: women not above workers, an upper-level union


class BranchExportResource(resources.ModelResource):
    """Export only (see the module's docstring)."""

    code = fields.Field(attribute="code", column_name="Mã CĐCS")
    name = fields.Field(attribute="name", column_name="Tên CĐCS")
    parent = fields.Field(column_name="Mã công đoàn cấp trên", readonly=True)
    sector = fields.Field(attribute="sector", column_name="Khu vực", widget=LabelWidget(SECTORS))
    founded_on = fields.Field(attribute="founded_on", column_name="Ngày thành lập", widget=DayWidget())
    workplace = fields.Field(column_name="Mã đơn vị", readonly=True)

    class Meta:
        model = Organization
        fields = ("code", "name", "parent", "sector", "founded_on", "workplace")
        export_order = fields

    def get_export_queryset(self, request=None):
        return Organization.objects.base().active().order_by("code")

    def dehydrate_parent(self, organization: Organization) -> str:
        parent = organization.parent()
        return parent.code if parent else ""

    def dehydrate_workplace(self, organization: Organization) -> str:
        workplace = organization.workplaces.order_by("code").first()
        return workplace.code if workplace else ""

    def import_data(self, *args, **kwargs):
        raise NotImplementedError("Base unions are imported through the portal's import page (organizations_create).")
