"""Access proven on every URL: the test walks the whole URL configuration.

Every named URL must be listed in CASES below (or be public, or the admin's): a view added
without saying how it is scoped fails `test_every_url_is_listed`. For each listed URL:
anonymous visitors go to the login page; a user of the sibling district gets 404 for GET
and POST; every role, assigned at the district the URL points into, gets what
docs/permissions.md says — the table is written out again here, by hand, so a change to
the rules in code shows up as a failure; the pages carry no inline script or style.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from imports.models import ImportJob
from indicators.models import ReportingPeriod
from organizations.models import Role
from tests import builders, factories
from unionportal.urls import PUBLIC_URL_NAMES

# docs/permissions.md, by hand.
TABLE = {
    Role.NATIONAL_OFFICER: {"view", "review", "manage_programs"},
    Role.PROVINCIAL_OFFICER: {
        "view",
        "edit_registry",
        "restructure",
        "edit_members",
        "enter_data",
        "review",
        "manage_programs",
        "export_personal_data",
    },
    Role.UPPER_STAFF: {"view", "edit_registry", "restructure", "edit_members", "enter_data", "export_personal_data"},
    Role.BRANCH_OFFICER: {"view", "edit_members", "enter_data"},
    Role.VIEWER: {"view"},
}
OTHER_PUBLIC = {"logout", "two_factor_setup", "two_factor_verify", "home"}  # not scoped to an organization


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[dict, str], dict]  # (world, "own" | "sibling") -> URL kwargs
    action: str | tuple[str, ...] = "view"  # what the URL needs at the district it points into (any of)
    get_is_read: bool = False  # a write URL whose GET only shows a form still needs the right (False)
    strict: bool = False  # the right must come from above the target (reviewing a district)
    scoped: bool = True  # points at an organization's subtree (outsider → 404)
    personal: bool = False  # belongs to the user who made it (an import job): others get 404 whatever their role
    post_only: bool = False  # GET answers 405 to everyone
    get_only: bool = False  # a download: POST answers 405 to everyone


def org(key: str):
    return lambda w, side: {"code": w[side][key].code}


def nothing(w, side):
    return {}


TASK = lambda w, s: {"period": "2024", "code": w[s]["district"].code}  # noqa: E731
CASES: dict[str, Case] = {
    "organizations:tree": Case(nothing, scoped=False),
    "organizations:detail": Case(org("branch")),
    "organizations:children": Case(org("district")),
    "organizations:create": Case(org("district"), "edit_registry"),
    "organizations:edit": Case(org("branch"), "edit_registry"),
    "organizations:dissolve": Case(org("branch"), "restructure"),
    "organizations:move": Case(org("branch"), "restructure"),
    "organizations:merge": Case(org("district"), "restructure"),
    "organizations:split": Case(org("branch"), "restructure"),
    "organizations:branch_list": Case(nothing, scoped=False),
    "organizations:workplace_list": Case(nothing, scoped=False),
    "organizations:workplace_create": Case(nothing, "edit_registry", scoped=False),
    "organizations:workplace_detail": Case(org("workplace")),
    "organizations:workplace_edit": Case(org("workplace"), "edit_registry"),
    "members:list": Case(nothing, scoped=False),
    "members:create": Case(nothing, "edit_members", scoped=False),
    "members:training": Case(nothing, "edit_members", scoped=False),
    "members:detail": Case(lambda w, s: {"card_number": w[s]["member"].card_number}),
    "members:edit": Case(lambda w, s: {"card_number": w[s]["member"].card_number}, "edit_members"),
    "members:transfer": Case(lambda w, s: {"card_number": w[s]["member"].card_number}, "edit_members"),
    "members:role": Case(lambda w, s: {"card_number": w[s]["member"].card_number}, "edit_members"),
    "members:leave": Case(lambda w, s: {"card_number": w[s]["member"].card_number}, "edit_members"),
    "imports:index": Case(nothing, scoped=False),
    "imports:job": Case(lambda w, s: {"pk": w[s]["job"].pk}, personal=True),
    "imports:job_status": Case(lambda w, s: {"pk": w[s]["job"].pk}, personal=True),
    "imports:job_confirm": Case(lambda w, s: {"pk": w[s]["job"].pk}, "edit_members", personal=True),
    "imports:job_error_file": Case(lambda w, s: {"pk": w[s]["job"].pk}, personal=True, get_only=True),
    "imports:template": Case(lambda w, s: {"kind": "members"}, scoped=False),
    "imports:export": Case(lambda w, s: {"kind": "members"}, "export_personal_data", scoped=False, get_only=True),
    "imports:upload": Case(lambda w, s: {"kind": "members"}, "edit_members", scoped=False),
    "programs:list": Case(nothing, scoped=False),
    "programs:create": Case(nothing, "manage_programs", scoped=False),
    "indicators:program": Case(lambda w, s: {"code": w[s]["program"].code}),
    "programs:edit": Case(lambda w, s: {"code": w[s]["program"].code}, "manage_programs"),
    "programs:original": Case(lambda w, s: {"code": w[s]["program"].code}),
    "indicators:detail": Case(lambda w, s: {"code": w[s]["program"].code, "indicator": "1"}),
    "indicators:allocate": Case(lambda w, s: {"code": w[s]["program"].code, "indicator": "1"}, "manage_programs"),
    "indicators:periods": Case(nothing, scoped=False),
    "indicators:grid": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}),
    "indicators:cell": Case(
        lambda w, s: {
            "period": "2024",
            "code": w[s]["district"].code,
            "row": w[s]["branch"].code,
            "element": "rating_1294",
        },
        "enter_data",
    ),
    "indicators:grid_excel": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}),
    "indicators:grid_excel_upload": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "enter_data"),
    "indicators:submit": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "enter_data"),
    "indicators:quality": Case(org("district")),
    "indicators:quality_confirm": Case(
        lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "enter_data", get_is_read=True
    ),
    "indicators:quality_recheck": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "enter_data"),
    "indicators:quality_cells": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}),
    "indicators:review": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}),
    "indicators:accept": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "review", strict=True),
    "indicators:return": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "review", strict=True),
    "indicators:reopen": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "review", strict=True),
    "indicators:waive": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "review", strict=True),
    "indicators:tasks": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}),
    "indicators:task_save": Case(lambda w, s: {**TASK(w, s), "task": w[s]["section"].pk}, "enter_data"),
    "indicators:task_evidence_upload": Case(lambda w, s: {**TASK(w, s), "task": w[s]["section"].pk}, "enter_data"),
    "indicators:task_evidence": Case(lambda w, s: {**TASK(w, s), "pk": w[s]["evidence"].pk}, get_only=True),
    "indicators:task_evidence_delete": Case(lambda w, s: {**TASK(w, s), "pk": w[s]["evidence"].pk}, "enter_data"),
    "reports:index": Case(nothing, scoped=False),
    "reports:organization": Case(org("district")),
    "reports:program": Case(lambda w, s: {"code": w[s]["district"].code, "program": w[s]["program"].code}),
}
REPORT = lambda w, s: {"code": w[s]["district"].code, "program": w[s]["program"].code, "period": "2024"}  # noqa: E731
CASES.update(
    {
        "reports:dashboard": Case(REPORT),
        "reports:branches": Case(lambda w, s: {**REPORT(w, s), "indicator": "1"}),
        "reports:document": Case(REPORT),
        "reports:narrative": Case(REPORT, "enter_data"),
        "reports:section": Case(lambda w, s: {**REPORT(w, s), "section": "results"}, "enter_data"),
        "reports:section_reset": Case(lambda w, s: {**REPORT(w, s), "section": "results"}, "enter_data"),
        "reports:new_version": Case(REPORT, ("enter_data", "review"), post_only=True),
        "reports:export_pdf": Case(REPORT),
        "reports:export_docx": Case(REPORT),
        "reports:export_xlsx": Case(REPORT),
        "reports:json": Case(REPORT),
        "reports:file_create": Case(REPORT),
        "reports:file_status": Case(lambda w, s: {"code": w[s]["district"].code, "pk": w[s]["file"].pk}),
        "reports:file_download": Case(lambda w, s: {"code": w[s]["district"].code, "pk": w[s]["file"].pk}),
        "audit:organization": Case(org("branch"), get_only=True),
        "audit:member": Case(lambda w, s: {"card_number": w[s]["member"].card_number}, get_only=True),
        "audit:workplace": Case(org("workplace"), get_only=True),
        "audit:grid": Case(lambda w, s: {"period": "2024", "code": w[s]["district"].code}, get_only=True),
        "notifications:list": Case(nothing, scoped=False),
        "notifications:settings": Case(nothing, scoped=False),
        "notifications:mark_all_read": Case(nothing, scoped=False, post_only=True),
        "notifications:open": Case(lambda w, s: {"pk": w[s]["notification"].pk}, personal=True),
        # "Nhắc" on the to-do list: only a body above the late district (strict), by POST.
        "notifications:remind": Case(
            lambda w, s: {"period": "2024", "code": w[s]["district"].code}, "review", strict=True, post_only=True
        ),
        "restructure:list": Case(nothing, scoped=False),
        "restructure:create": Case(nothing, "restructure", scoped=False),
        "restructure:template": Case(nothing, scoped=False, get_only=True),
        "restructure:detail": Case(lambda w, s: {"pk": w[s]["plan"].pk}),
        "restructure:edit": Case(lambda w, s: {"pk": w[s]["plan"].pk}, "restructure"),
        "restructure:upload": Case(lambda w, s: {"pk": w[s]["plan"].pk}, "restructure"),
        "restructure:apply": Case(lambda w, s: {"pk": w[s]["plan"].pk}, "restructure"),
        "restructure:reverse": Case(lambda w, s: {"pk": w[s]["plan"].pk}, "restructure"),
        # A user's own API tokens: not scoped to an organization; a token is its owner's alone.
        "account:api_tokens": Case(nothing, scoped=False),
        "account:api_token_revoke": Case(lambda w, s: {"pk": w[s]["token"].pk}, personal=True, post_only=True),
    }
)


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_listed():
    # The API's routes are walked with tokens in tests/api/test_api_walk.py (anonymous, each role,
    # the sibling district, a revoked and an expired token); its table lists every one of them.
    from tests.api.test_api_walk import API_CASES

    unlisted = url_names() - set(CASES) - set(API_CASES) - PUBLIC_URL_NAMES - OTHER_PUBLIC
    assert not unlisted, f"Add these views to CASES in {__file__} with how they are scoped: {sorted(unlisted)}"
    assert not set(CASES) - url_names(), "CASES lists URLs that no longer exist"
    assert not set(API_CASES) - url_names(), "API_CASES lists routes that no longer exist"


@pytest.mark.parametrize("name", ["imports:job", "imports:job_error_file", "notifications:open"])
def test_an_import_job_is_only_its_makers(cast, login, world, name):
    key = "notification" if name.startswith("notifications") else "job"
    url = reverse(name, kwargs={"pk": world["own"][key].pk})
    # Opening a notification marks it read and goes to its page.
    assert login(cast.owner).get(url).status_code == (302 if key == "notification" else 200)
    assert login(cast.provincial).get(url).status_code == 404  # even above the district


@pytest.fixture
def world(cast, settings, tmp_path):
    from django.core.files.base import ContentFile

    from reports.models import ReportFile

    settings.MEDIA_ROOT = tmp_path

    builders.period("2024")
    builders.element("rating_1294", "choice")
    worlds = {}
    for side, district, branch in (("own", cast.district, cast.branch), ("sibling", cast.sibling, cast.sibling_branch)):
        program = builders.program(district, code=f"P-{district.code}")
        builders.indicator(
            program,
            "organizations_share",
            code="1",
            name="Tỷ lệ",
            element=builders.element("rating_1294", "choice"),
            min_choice="good",
            target_value=90,
        )
        job_owner = cast.owner if side == "own" else cast.outsider
        worlds[side] = {
            "district": district,
            "branch": branch,
            "workplace": factories.make_workplace(district, code=f"W-{district.code}", branch=branch),
            "member": factories.make_member(branch, card_number=f"CARD-{district.code}"),
            "program": program,
            "job": ImportJob.objects.create(
                user=job_owner,
                kind="members",
                original_name="x.xlsx",
                file="imports/x.xlsx",
                error_file=f"imports/x-{side}-loi.xlsx",
            ),
            "file": ReportFile.objects.create(
                organization=district,
                program=program,
                period=ReportingPeriod.objects.get(code="2024"),
                format="pdf",
                status="done",
                path=f"reports/{district.code}.pdf",
            ),
        }
        worlds[side].update(_task(program, district, job_owner))
        worlds[side]["notification"] = _notification(job_owner, district)
        worlds[side]["token"] = _token(job_owner)
        worlds[side]["plan"] = _plan(district, job_owner)
        (tmp_path / "reports").mkdir(exist_ok=True)
        (tmp_path / "imports").mkdir(exist_ok=True)
        (tmp_path / "imports" / f"x-{side}-loi.xlsx").write_bytes(b"PK\x03\x04 test")
        (tmp_path / "reports" / f"{district.code}.pdf").write_bytes(b"%PDF-1.7 test")
        program.original.save("van-ban.pdf", ContentFile(b"%PDF-1.7 original"), save=True)
    return worlds


def _task(program, district, by) -> dict:
    """A task the district answers for, its record of 2024 and one evidence file."""
    from django.core.files.base import ContentFile

    from indicators.models import TaskEvidence, TaskReport
    from programs.models import ProgramSection

    section = ProgramSection.objects.create(program=program, order=1, title="Tuyên truyền")
    section.responsible.set([district])
    report = TaskReport.objects.create(
        section=section, organization=district, period=ReportingPeriod.objects.get(code="2024"), status="done"
    )
    evidence = TaskEvidence(report=report, original_name="bien-ban.pdf", kind="pdf", size=17, sha256="0" * 64)
    evidence.file.save("x", ContentFile(b"%PDF-1.7 evidence"), save=True)
    return {"section": section, "evidence": evidence}


def _notification(user, district):
    """A notification of the side's user about its district (only that user may open it)."""
    from notifications.models import Notification

    return Notification.objects.create(
        user=user, kind="returned", organization=district, title="Báo cáo bị trả lại", path="/", key=f"k-{user.pk}"
    )


def _plan(district, by):
    import datetime

    from restructure.services import plan_create

    return plan_create(scope=district, name="Sắp xếp 2025", effective_date=datetime.date(2025, 7, 1), by=by)


def _token(user):
    import datetime

    from django.utils import timezone

    from api.services import api_token_create

    token, _text = api_token_create(
        user=user, name="walk", expires_at=timezone.now() + datetime.timedelta(days=1), by=user, verified=True
    )
    return token


def reverse_case(name: str, case: Case, world: dict, side: str) -> str:
    return reverse(name, kwargs=case.kwargs(world, side))


@pytest.mark.parametrize("name", sorted(CASES))
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, name):
    url = reverse_case(name, CASES[name], world, "own")
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.scoped))
def test_a_user_of_the_sibling_district_gets_404_for_get_and_post(cast, login, world, name):
    client = login(cast.outsider)
    url = reverse_case(name, CASES[name], world, "own")
    assert client.get(url).status_code == 404, name
    assert client.post(url, {}).status_code == 404, name


def _user_for(role: str, district):
    return factories.make_user(f"walk-{role}", organization=district, role=role)


@pytest.mark.parametrize("role", list(TABLE))
def test_each_role_at_the_district_gets_what_the_permission_table_says(cast, login, world, role):
    client = login(_user_for(role, cast.district))
    problems = []
    for name, case in sorted(CASES.items()):
        if case.personal:
            continue
        url = reverse_case(name, case, world, "own")
        actions = case.action if isinstance(case.action, tuple) else (case.action,)
        allowed = bool(set(actions) & TABLE[role]) and not case.strict
        methods = ["get", "post"] if case.action != "view" else ["get"]
        if case.post_only:
            methods = ["post"]
        if case.get_only:
            methods = ["get"]
        for method in methods:
            status = getattr(client, method)(url, {}).status_code
            if method == "get" and case.get_is_read:
                continue
            if allowed and status in (403, 404):
                problems.append(f"{role} {method.upper()} {name}: {status}, expected allowed")
            if not allowed and status != 403:
                problems.append(f"{role} {method.upper()} {name}: {status}, expected 403")
    assert not problems, "\n".join(problems)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=\"", re.IGNORECASE)


def test_no_page_has_inline_scripts_or_styles(cast, login, world):
    client = login(cast.provincial)
    offenders = []
    for name, case in sorted(CASES.items()):
        response = client.get(reverse_case(name, case, world, "own"))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if INLINE_SCRIPT.search(body) or INLINE_STYLE.search(body):
            offenders.append(name)
    assert not offenders, f"Inline <script>/style found on: {offenders}"
