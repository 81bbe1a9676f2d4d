"""The admin covers every model for super-administrators.

Tree changes made here bypass the restructuring record, so the organization admin
only edits descriptive fields; moves, merges, splits and dissolutions go through
the portal's forms, which record them.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Level, Organization, RestructuringLink, RestructuringOperation, Workplace


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("rank", "code", "name")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "sector", "status", "founded_on", "dissolved_on")
    list_filter = ("level", "sector", "status")
    search_fields = ("code", "name", "short_name")
    readonly_fields = ("path", "depth", "numchild", "status", "dissolved_on", "created_at", "updated_at")
    ordering = ("path",)
    inlines = [AssignmentInline]

    def has_add_permission(self, request) -> bool:
        # New organizations go through organization_create (which places them in the tree).
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # nothing is deleted: dissolve instead


@admin.register(Workplace)
class WorkplaceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "worker_count", "female_worker_count", "upper_union", "branch")
    list_filter = ("kind",)
    search_fields = ("code", "name", "tax_code")
    autocomplete_fields = ("upper_union", "branch")


class RestructuringLinkInline(admin.TabularInline):
    model = RestructuringLink
    extra = 0
    readonly_fields = ("organization", "role", "previous_parent", "new_parent")
    can_delete = False


@admin.register(RestructuringOperation)
class RestructuringOperationAdmin(admin.ModelAdmin):
    list_display = ("kind", "effective_date", "decision", "performed_by", "performed_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "effective_date", "performed_by", "performed_at")
    inlines = [RestructuringLinkInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__code", "organization__name")
    autocomplete_fields = ("user", "organization")


class UserAssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ("organization",)
    verbose_name_plural = _("Assignments (organization and role)")


# Users are assigned to organizations on their own admin page.
admin.site.unregister(User)


@admin.register(User)
class UserWithAssignmentsAdmin(UserAdmin):
    inlines = [UserAssignmentInline]
