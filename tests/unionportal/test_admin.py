"""The admin covers every model for super-administrators, and no one else."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

MODELS = [
    "organizations.level",
    "organizations.organization",
    "organizations.workplace",
    "organizations.restructuringoperation",
    "organizations.assignment",
    "members.member",
    "members.membershipperiod",
    "members.memberrole",
    "members.training",
    "auth.user",
    "audit.auditevent",
    "notifications.webhook",
    "notifications.webhookdelivery",
    "notifications.remindersent",
]


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_opens_the_admin_list_of_every_model(db, login, cast, model):
    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    factories.make_workplace(cast.district, code="W1", branch=cast.branch)
    app_label, model_name = model.split(".")
    response = login(superuser).get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


def test_every_project_model_is_registered(db):
    from django.apps import apps

    project_apps = {"organizations", "members", "programs", "indicators", "reports", "audit"}
    registered = set(admin.site._registry)
    for model in apps.get_models():
        if model._meta.app_label in project_apps and not model._meta.auto_created:
            covered = model in registered or model.__name__ == "RestructuringLink"  # shown inline on its operation
            assert covered, f"{model.__name__} is missing from the admin"


def test_district_staff_cannot_reach_the_admin(cast, login):
    response = login(cast.owner).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_a_superuser_assigns_a_role_on_the_users_admin_page(cast, login):
    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    page = login(superuser).get(reverse("admin:auth_user_change", args=[cast.owner.pk]))
    assert page.status_code == 200
    assert "assignments-TOTAL_FORMS" in page.content.decode()


def pending_hooks(callbacks) -> list[str]:
    return [callback.hook.name for callback in callbacks if hasattr(callback, "hook")]


def test_an_organization_edited_in_the_admin_goes_through_its_service(cast, login, django_capture_on_commit_callbacks):
    from organizations.models import Organization

    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    url = reverse("admin:organizations_organization_change", args=[cast.branch.pk])
    data = {
        "name": "CĐCS Trường A1 (sửa)",
        "short_name": "",
        "sector": cast.branch.sector,
        "founded_on": "",
        "address": "",
        "code": "XP-HACK",  # read-only here: the code is the organization's key
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(superuser).post(url, data)
    assert response.status_code == 302
    branch = Organization.objects.get(pk=cast.branch.pk)
    assert (branch.name, branch.code) == ("CĐCS Trường A1 (sửa)", "XP-A-01")
    assert pending_hooks(callbacks) == ["organizations.registry_changed"]  # the dashboards follow


def test_a_workplace_added_in_the_admin_goes_through_its_service(cast, login, django_capture_on_commit_callbacks):
    from organizations.models import Workplace

    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    data = {
        "code": "w-admin-1",
        "name": "Công ty May Thử",
        "kind": Workplace._meta.get_field("kind").choices[0][0],
        "worker_count": "120",
        "female_worker_count": "80",
        "upper_union": str(cast.district.pk),
        "branch": "",
        "address": "",
        "tax_code": "",
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(superuser).post(reverse("admin:organizations_workplace_add"), data)
    assert response.status_code == 302
    assert Workplace.objects.get(code="W-ADMIN-1").worker_count == 120  # workplace_create writes codes in capitals
    assert pending_hooks(callbacks) == ["organizations.registry_changed"]
