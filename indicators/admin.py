"""The admin shows indicators, reported data and the workflow to super-administrators.

The catalogue — indicators, data elements, their rules and the plausibility rules — is configured here. Everything
else changes through the portal's services: targets here too (targets.services.target_set and
target_clear); reported values, periods (opened by their first write), submissions and their
events (version checks, locks, the event record), and the bodies' task reports and their
evidence files (indicators/tasks/services.py) are read-only.
"""

from django.contrib import admin

from .models import (
    DataElement,
    DataElementRule,
    DataValue,
    Indicator,
    PlausibilityRule,
    QualityConfirmation,
    QualityWarning,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    Target,
    TaskEvidence,
    TaskReport,
    Waiver,
)
from .targets.services import target_clear, target_set


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TargetInline(admin.TabularInline):
    """An indicator's targets, to read; they are set on the Targets page (through the service) or allocated."""

    model = Target
    extra = 0
    fields = ("organization", "year", "comparison", "value", "value_max", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("program", "code", "name", "measure", "comparison", "target_value", "time_rule", "allocation")
    list_filter = ("measure", "time_rule", "allocation", "program")
    search_fields = ("code", "name", "program__code")
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "organization", "year", "comparison", "value", "value_max")
    list_filter = ("indicator__program",)
    search_fields = ("indicator__code", "organization__code", "organization__name")
    autocomplete_fields = ("organization",)

    def get_readonly_fields(self, request, obj=None):
        return ("indicator", "organization", "year") if obj is not None else ()  # what the target is of

    def save_model(self, request, obj, form, change) -> None:
        target = target_set(
            indicator=obj.indicator,
            organization=obj.organization,
            year=obj.year,
            comparison=obj.comparison,
            value=obj.value,
            value_max=obj.value_max,
            note=obj.note,
            by=request.user,
        )
        obj.pk, obj._state.adding, obj._state.db = target.pk, False, target._state.db

    def delete_model(self, request, obj) -> None:
        target_clear(indicator=obj.indicator, organization=obj.organization, year=obj.year, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for target in queryset.select_related("indicator", "organization"):
            self.delete_model(request, target)


class DataElementRuleInline(admin.TabularInline):
    model = DataElementRule
    fk_name = "element"
    extra = 0


class PlausibilityRuleInline(admin.StackedInline):
    """The warnings a figure can raise (they never refuse it); the rule's clean() checks its formula."""

    model = PlausibilityRule
    fk_name = "element"
    extra = 0
    fields = (
        ("code", "active"),
        "name",
        "kind",
        ("left", "operator", "right"),
        "missing",
        "registry",
        ("tolerance", "factor", "floor", "history"),
    )


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name", "short_name", "value_type", "level", "frequency", "required")
    list_filter = ("value_type", "level", "frequency")
    search_fields = ("code", "name")
    inlines = [DataElementRuleInline, PlausibilityRuleInline]


@admin.register(PlausibilityRule)
class PlausibilityRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "element", "left", "operator", "right", "registry", "active")
    list_filter = ("kind", "active", "element__level")
    search_fields = ("code", "name", "element__code", "left", "right")
    list_select_related = ("element",)
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "element", "active")}),
        ("Giữa các chỉ tiêu", {"fields": ("left", "operator", "right", "missing")}),
        ("So với sổ đăng ký", {"fields": ("registry", "tolerance")}),
        ("So với kỳ trước, giá trị bất thường", {"fields": ("factor", "floor", "history")}),
    )


@admin.register(QualityWarning)
class QualityWarningAdmin(ReadOnlyAdmin):
    list_display = ("rule", "organization", "period", "element", "value", "reference", "raised_at")
    list_filter = ("period", "rule__kind")
    search_fields = ("organization__code", "organization__name", "rule__code")
    list_select_related = ("rule", "organization", "period", "element")


@admin.register(QualityConfirmation)
class QualityConfirmationAdmin(ReadOnlyAdmin):
    list_display = ("warning", "organization", "value", "comment", "by", "at")
    list_select_related = ("warning__rule", "organization", "by")


@admin.register(DataElementRule)
class DataElementRuleAdmin(admin.ModelAdmin):
    list_display = ("element", "operator", "other", "message")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "year", "half", "start_on", "end_on", "deadline")
    list_filter = ("kind",)


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    list_display = ("element", "organization", "period", "number", "boolean", "choice", "version", "updated_by")
    list_filter = ("period", "element")
    search_fields = ("organization__code", "organization__name", "element__code")
    list_select_related = ("element", "organization", "period", "updated_by")


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "by", "at", "comment")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("organization", "period", "status", "submitted_at", "decided_at")
    list_filter = ("status", "period")
    search_fields = ("organization__code", "organization__name")
    list_select_related = ("organization", "period")
    inlines = [SubmissionEventInline]


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdmin):
    list_display = ("submission", "action", "by", "at", "comment")
    list_filter = ("action",)
    list_select_related = ("submission__organization", "submission__period", "by")


@admin.register(Waiver)
class WaiverAdmin(ReadOnlyAdmin):
    list_display = ("organization", "period", "reason", "by", "at")
    list_select_related = ("organization", "period", "by")


class TaskEvidenceInline(admin.TabularInline):
    model = TaskEvidence
    extra = 0
    can_delete = False
    fields = ("original_name", "kind", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TaskReport)
class TaskReportAdmin(ReadOnlyAdmin):
    list_display = ("section", "organization", "period", "status", "version", "updated_by", "updated_at")
    list_filter = ("status", "period")
    search_fields = ("organization__code", "organization__name", "section__title")
    list_select_related = ("section", "organization", "period", "updated_by")
    inlines = [TaskEvidenceInline]


@admin.register(TaskEvidence)
class TaskEvidenceAdmin(ReadOnlyAdmin):
    """The files' rows only: the files themselves are served by the task page, within scope."""

    list_display = ("original_name", "report", "kind", "size", "uploaded_by", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("report__section", "report__organization", "report__period", "uploaded_by")
    exclude = ("file",)
