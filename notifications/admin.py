"""The administrator's view of the notifications: above all, the emails that could not be sent.

Filter by email status: "Invalid address" lists the users whose address is wrong or refused
(the others were still sent), "Failed" the emails given up after the last retry. Read-only:
notifications come from events, never from the admin.
"""

from django.contrib import admin

from .models import Digest, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at", "email_status", "email_attempts", "email_error")
    list_filter = ("email_status", "kind")
    search_fields = ("user__username", "user__email", "title")
    readonly_fields = [field.name for field in Notification._meta.fields]
    list_select_related = ("user",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("day", "user", "status", "attempts", "sent_at", "error")
    list_filter = ("status", "day")
    search_fields = ("user__username", "user__email")
    readonly_fields = [field.name for field in Digest._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery", "updated_at")
    list_filter = ("kind", "delivery")
    search_fields = ("user__username",)
    readonly_fields = [field.name for field in NotificationPreference._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
