from django.contrib import admin

from .models import ExportLog, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "original_name", "user", "status", "row_count", "error_count", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("original_name", "user__username")
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # jobs come from the import pages and the import_data command


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "kind", "organization", "rows", "channel")
    list_filter = ("kind", "channel")
    search_fields = ("user__username", "organization__code")
    readonly_fields = ("at", "user", "kind", "organization", "rows", "channel")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
