from django.contrib import admin

from .models import FrozenReport, ReportFile, ReportNarrative, Rollup


@admin.register(Rollup)
class RollupAdmin(admin.ModelAdmin):
    list_display = ("indicator", "organization", "period", "numerator", "denominator", "reported", "computed_at")
    list_filter = ("period",)
    search_fields = ("organization__code", "indicator__code")
    raw_id_fields = ("indicator", "organization")


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(admin.ModelAdmin):
    list_display = ("organization", "program", "period", "kind", "number", "updated_at")
    list_filter = ("kind", "period")
    search_fields = ("organization__code", "program__code", "number")
    raw_id_fields = ("organization",)


@admin.register(FrozenReport)
class FrozenReportAdmin(admin.ModelAdmin):
    list_display = ("organization", "program", "period", "version", "reason", "created_by", "created_at")
    list_filter = ("period",)
    search_fields = ("organization__code", "program__code")
    readonly_fields = ("organization", "program", "period", "version", "data", "created_by", "created_at")

    def has_add_permission(self, request) -> bool:
        return False  # a frozen copy is made by accepting a period or by the explicit new-version action


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = ("organization", "program", "period", "format", "kind", "status", "requested_by", "created_at")
    list_filter = ("status", "format", "period")
    search_fields = ("organization__code", "program__code")
    readonly_fields = [f.name for f in ReportFile._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # files are made from the report page, in the background
