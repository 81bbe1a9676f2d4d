"""The admin shows members and their history to super-administrators.

A member's branch, role, status and trainings change through the portal's forms,
which call the services and keep the history and the current values in step; here
only who the member is can be corrected, through the same service (member_update),
and the history is read-only.
"""

from django.contrib import admin

from . import services
from .models import Member, MemberRole, MembershipPeriod, Training

# Written only by the services (members/services.py), together with the history tables.
DENORMALIZED = ("branch", "role", "last_trained_on", "status", "status_changed_on", "status_reason", "joined_on")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MembershipPeriodInline(ReadOnlyInline):
    model = MembershipPeriod
    fields = ("branch", "start_on", "end_on", "note")


class MemberRoleInline(ReadOnlyInline):
    model = MemberRole
    fields = ("role", "branch", "start_on", "end_on")


class TrainingInline(ReadOnlyInline):
    model = Training
    fields = ("trained_on", "course", "organizer")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("card_number", "full_name", "gender", "branch", "role", "status", "joined_on", "last_trained_on")
    list_filter = ("status", "gender", "role")
    search_fields = ("card_number", "full_name", "branch__code", "branch__name")
    list_select_related = ("branch",)
    readonly_fields = (*DENORMALIZED, "created_at", "updated_at")
    inlines = [MembershipPeriodInline, MemberRoleInline, TrainingInline]

    def has_add_permission(self, request) -> bool:
        # New members go through member_create, which opens their first period (the portal's "Add a member").
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # nothing is deleted: mark the member as left instead

    def get_readonly_fields(self, request, obj=None):
        # Only who the member is can be corrected here (member_update); the rest is shown.
        fixed = [
            f.name for f in Member._meta.concrete_fields if not f.primary_key and f.name not in services.PERSONAL_FIELDS
        ]
        return list(dict.fromkeys([*fixed, *DENORMALIZED, "created_at", "updated_at"]))

    def save_model(self, request, obj, form, change) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in services.PERSONAL_FIELDS}
        if changes:
            services.member_update(member=obj, by=request.user, **changes)


class HistoryAdmin(admin.ModelAdmin):
    """History rows are read here, written by the services."""

    list_select_related = ("member", "branch")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(HistoryAdmin):
    list_display = ("member", "branch", "start_on", "end_on", "note")
    search_fields = ("member__card_number", "member__full_name", "branch__code")
    date_hierarchy = "start_on"


@admin.register(MemberRole)
class MemberRoleAdmin(HistoryAdmin):
    list_display = ("member", "role", "branch", "start_on", "end_on")
    list_filter = ("role",)
    search_fields = ("member__card_number", "member__full_name", "branch__code")


@admin.register(Training)
class TrainingAdmin(HistoryAdmin):
    list_display = ("member", "course", "trained_on", "organizer")
    search_fields = ("member__card_number", "member__full_name", "course")
    list_select_related = ("member",)
    date_hierarchy = "trained_on"
