"""The administrator's view of the notifications, the webhooks and their deliveries.

Notifications are read-only: filter by email status, "Invalid address" lists the users whose
address is wrong or refused (the others were still sent), "Failed" the emails given up after
the last retry.

A webhook is configuration, edited here directly (like the catalogue in indicators/admin.py):
its organization, address, secret, kinds of event. Deliveries are read-only: the
administrator sees each attempt's outcome (status, attempts, response code, last error, next
attempt) and may only ask for failed ones to be tried again, through
`webhooks.delivery_retry`. The reminders the sweep sent are read-only too.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import DeliveryStatus, Digest, Notification, NotificationPreference, ReminderSent, Webhook, WebhookDelivery
from .models.webhooks import WEBHOOK_KINDS
from .webhooks import delivery_retry


def _https_by_default(field, **kwargs):
    if field.name == "url":
        kwargs["assume_scheme"] = "https"  # an address typed without a scheme is https (Django 6's default)
    return field.formfield(**kwargs)


class WebhookForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("kinds of event"),
        choices=WEBHOOK_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of event to post; none ticked: every kind."),
    )

    class Meta:
        model = Webhook
        fields = ("organization", "url", "secret", "active", "kinds")
        formfield_callback = _https_by_default


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("organization", "url", "active", "waiting", "failed")
    list_filter = ("active",)
    search_fields = ("organization__code", "organization__name", "url")
    autocomplete_fields = ("organization",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization")
            .annotate(
                n_waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
                n_failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            )
        )

    @admin.display(description=_("waiting"), ordering="n_waiting")
    def waiting(self, webhook: Webhook) -> int:
        return webhook.n_waiting

    @admin.display(description=_("failed"), ordering="n_failed")
    def failed(self, webhook: Webhook) -> int:
        return webhook.n_failed


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "webhook", "kind", "organization", "status", "attempts", "response_code", "error")
    list_filter = ("status", "kind")
    search_fields = ("organization__code", "webhook__url")
    list_select_related = ("webhook__organization", "organization")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_webhook")

    @admin.display(description=_("last error"))
    def error(self, delivery: WebhookDelivery) -> str:
        return delivery.last_error[:120]

    @admin.action(description=_("Try the selected deliveries again now"), permissions=["retry"])
    def retry(self, request, queryset) -> None:
        count = delivery_retry(deliveries=queryset)
        self.message_user(
            request,
            ngettext("%(n)d delivery will be tried again.", "%(n)d deliveries will be tried again.", count)
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "period", "organization", "sent_at")
    list_filter = ("kind", "day")
    search_fields = ("organization__code", "organization__name")
    list_select_related = ("organization", "period")
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
