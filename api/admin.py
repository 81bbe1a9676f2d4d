"""Service accounts and tokens in the admin.

An administrator creates a service account (a user that is another system, with no password to
sign in with), gives it organizations and roles on its user page like anyone's, then creates its
token here: the token's text is shown once, in the message after saving.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import ApiToken, ServiceAccount


class ServiceAccountForm(forms.ModelForm):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)

    class Meta:
        model = ServiceAccount
        fields = ["description"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            raise ValidationError(_("This username is taken."))
        return username


@admin.register(ServiceAccount)
class ServiceAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "description", "created_at")
    search_fields = ("user__username", "description")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ServiceAccountForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["username", "description"] if obj is None else ["user", "description"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            # No usable password: the account never signs in on the web, it only holds tokens.
            obj.user = get_user_model().objects.create_user(username=form.cleaned_data["username"], password=None)
            messages.info(request, _("Now give the account its organizations and roles on its user page."))
        super().save_model(request, obj, form, change)


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        errors = services.token_errors(name=cleaned.get("name", ""), expires_at=cleaned.get("expires_at"))
        if errors and "expires_at" in self.errors:
            errors.pop("expires_at")
        if errors:
            raise ValidationError(errors)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    autocomplete_fields = ("user",)
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        verified = bool(getattr(request.user, "is_verified", lambda: False)())
        # A refusal here (PermissionDenied: not an administrator, or the two-step sign-in owed) is a 403.
        token, text = services.api_token_create(
            user=obj.user, name=obj.name, expires_at=obj.expires_at, by=request.user, verified=verified
        )
        for name in ("id", "prefix", "hashed_secret", "created_at", "expires_at", "name"):
            setattr(obj, name, getattr(token, name))
        obj._state.adding = False
        messages.warning(request, _("Copy the token now, it is shown only this once: %(token)s") % {"token": text})

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            services.api_token_revoke(token=token, by=request.user)
