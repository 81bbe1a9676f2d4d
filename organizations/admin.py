"""The admin covers every model for super-administrators.

What it writes goes through the same services as the portal's pages (the checks, the audit
trail, the dashboards' refresh): an organization's descriptive fields (organization_update),
workplaces (workplace_create, workplace_update, workplace_delete). Tree changes are not made
here: moves, merges, splits and dissolutions go through the portal's forms, which record them.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from . import services
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
    readonly_fields = (
        "code",
        "level",
        "path",
        "depth",
        "numchild",
        "status",
        "dissolved_on",
        "created_at",
        "updated_at",
    )
    ordering = ("path",)
    inlines = [AssignmentInline]

    def save_model(self, request, obj, form, change) -> None:
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_ORGANIZATION_FIELDS
        }
        if changes:
            services.organization_update(organization=obj, by=request.user, **changes)

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

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()  # the code is the workplace's key

    def save_model(self, request, obj, form, change) -> None:
        if change:
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.EDITABLE_WORKPLACE_FIELDS
            }
            if changes:
                services.workplace_update(workplace=obj, by=request.user, **changes)
            return
        created = services.workplace_create(by=request.user, **{name: form.cleaned_data[name] for name in form.fields})
        obj.pk, obj.code, obj._state.adding, obj._state.db = created.pk, created.code, False, created._state.db

    def delete_model(self, request, obj) -> None:
        services.workplace_delete(workplace=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for workplace in queryset:
            services.workplace_delete(workplace=workplace, by=request.user)


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
