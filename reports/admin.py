"""The admin shows the reports' tables to super-administrators, to read.

Rollups are computed (reports/rollups.py), frozen copies made by accepting a period or by the
new-version action, report texts written on the report page (with their version check), files
made in the background: none is written here.
"""

from django.contrib import admin

from .models import EditedSection, FrozenReport, ReportFile, ReportNarrative, Rollup, ScopeSeal, TreeSeal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rollup)
class RollupAdmin(ReadOnlyAdmin):
    list_display = (
        "indicator",
        "organization",
        "period",
        "numerator",
        "denominator",
        "reported",
        "sealed",
        "computed_at",
    )
    list_filter = ("period", "sealed")
    search_fields = ("organization__code", "indicator__code")
    raw_id_fields = ("indicator", "organization")


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(ReadOnlyAdmin):
    list_display = ("organization", "program", "period", "kind", "number", "updated_at")
    list_filter = ("kind", "period")
    search_fields = ("organization__code", "program__code", "number")
    raw_id_fields = ("organization",)


@admin.register(EditedSection)
class EditedSectionAdmin(ReadOnlyAdmin):
    list_display = ("organization", "program", "period", "kind", "section", "edited_by", "edited_at")
    list_filter = ("kind", "section", "period")
    search_fields = ("organization__code", "program__code")
    raw_id_fields = ("organization",)


@admin.register(FrozenReport)
class FrozenReportAdmin(ReadOnlyAdmin):
    list_display = ("organization", "program", "period", "version", "reason", "created_by", "created_at")
    list_filter = ("period",)
    search_fields = ("organization__code", "program__code")
    exclude = ("data", "branches", "texts")  # the copy itself is large; the report page shows it


@admin.register(ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    list_display = ("organization", "program", "period", "format", "kind", "status", "requested_by", "created_at")
    list_filter = ("status", "format", "period")
    search_fields = ("organization__code", "program__code")


@admin.register(TreeSeal)
class TreeSealAdmin(ReadOnlyAdmin):
    """The tree before each restructuring, written by it (reports.history.tree_seal)."""

    list_display = ("organization", "until", "parent", "created_at")
    list_filter = ("until",)
    search_fields = ("organization__code",)
    raw_id_fields = ("organization", "parent")


@admin.register(ScopeSeal)
class ScopeSealAdmin(ReadOnlyAdmin):
    list_display = ("program", "until", "scope")
    raw_id_fields = ("program", "scope")
