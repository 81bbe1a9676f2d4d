"""Before a body submits, each open warning of its grid is confirmed with a short explanation (audited)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from indicators.models import QualityConfirmation, QualityWarning, Submission, SubmissionStatus
from indicators.quality.selectors import open_count
from indicators.quality.services import warnings_confirm
from indicators.workflow.services import submission_submit
from tests import builders
from unionportal.acting import acting


@pytest.fixture
def year(db):
    return builders.period("2024")


save = builders.save_figure  # a figure typed in the 2024 grid


@pytest.fixture
def flagged(cast, year):
    save("workers_informed", cast.branch, "99.999", cast.owner)
    return QualityWarning.objects.get(organization=cast.branch, rule__code="informed_within_workers")


def test_the_submission_is_refused_in_vietnamese_until_each_warning_is_confirmed(cast, year, flagged):
    with pytest.raises(ValidationError) as refusal:
        submission_submit(organization=cast.district, period=year, by=cast.owner)
    assert "cảnh báo" in refusal.value.messages[0] and "xác nhận" in refusal.value.messages[0]
    assert not Submission.objects.filter(organization=cast.district, status=SubmissionStatus.SUBMITTED).exists()
    warnings_confirm(
        unit=cast.district,
        period=year,
        comments={flagged.pk: "Đơn vị tổ chức tuyên truyền cho cả khu công nghiệp"},
        by=cast.owner,
    )
    assert open_count(cast.district, year) == 0
    assert (
        submission_submit(organization=cast.district, period=year, by=cast.owner).status == SubmissionStatus.SUBMITTED
    )


def test_a_changed_figure_needs_a_new_confirmation(cast, year, flagged):
    warnings_confirm(unit=cast.district, period=year, comments={flagged.pk: "Số liệu đúng, đã kiểm tra"}, by=cast.owner)
    save("workers_informed", cast.branch, "88.888", cast.owner)
    assert open_count(cast.district, year) == 1
    with pytest.raises(ValidationError):
        submission_submit(organization=cast.district, period=year, by=cast.owner)


def test_a_warning_raised_by_the_registry_since_the_last_save_is_found_at_submission(cast, year):
    save("workers_total", cast.branch, "1.500", cast.owner)
    save("workers_members", cast.branch, "1.000", cast.owner)
    assert open_count(cast.district, year) == 0  # no register kept yet: nothing to compare with
    for _n in range(24):
        builders.member(cast.branch)
    with pytest.raises(ValidationError):
        submission_submit(organization=cast.district, period=year, by=cast.owner)
    # Refused, but the warning found is kept for the confirmation form to list.
    assert QualityWarning.objects.filter(rule__code="members_match_register").count() == 1


@pytest.mark.parametrize(
    "comment",
    ["<script>alert(1)</script> số liệu đúng", "Số liệu <b>đúng</b>", "  ok ", "x" * 501],
)
def test_an_explanation_with_markup_too_short_or_too_long_is_refused_and_nothing_is_written(
    cast, year, flagged, comment
):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        warnings_confirm(unit=cast.district, period=year, comments={flagged.pk: comment}, by=cast.owner)
    assert not QualityConfirmation.objects.exists()
    assert AuditEvent.objects.count() == events


def test_only_who_enters_the_figures_confirms_and_only_warnings_of_the_grid(cast, year, flagged):
    with pytest.raises(PermissionDenied):
        warnings_confirm(unit=cast.district, period=year, comments={flagged.pk: "Số liệu đúng"}, by=cast.colleague)
    with pytest.raises(ValidationError):
        warnings_confirm(unit=cast.sibling, period=year, comments={flagged.pk: "Số liệu đúng"}, by=cast.outsider)
    assert not QualityConfirmation.objects.exists()


def test_a_confirmation_is_in_the_audit_trail(cast, year, flagged):
    with acting(cast.owner, "web:test"):
        warnings_confirm(
            unit=cast.district, period=year, comments={flagged.pk: "Số liệu đúng, đã gọi điện"}, by=cast.owner
        )
    event = AuditEvent.objects.get(table_name="indicators_qualityconfirmation")
    assert (event.action, event.actor_id, event.organization_id) == ("create", cast.owner.pk, cast.branch.pk)
    assert event.after["comment"] == "Số liệu đúng, đã gọi điện"


def test_the_submit_page_asks_first_says_the_figures_will_be_locked_and_lists_the_warnings(cast, login, year, flagged):
    client = login(cast.owner)
    url = reverse("indicators:submit", kwargs={"period": "2024", "code": cast.district.code})
    html = client.get(url).content.decode()
    assert "bị khóa" in html and f'name="comment_{flagged.pk}"' in html
    assert "1/1" in html  # the district's one base union has entered figures
    refused = client.post(url, {"comment": ""})
    assert refused.url == url and not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()
    confirm = reverse("indicators:quality_confirm", kwargs={"period": "2024", "code": cast.district.code})
    done = client.post(confirm, {f"comment_{flagged.pk}": "Đã kiểm tra với đơn vị", "next": url})
    assert done.url == url
    assert f'name="comment_{flagged.pk}"' not in client.get(url).content.decode()
    client.post(url, {"comment": ""})
    assert Submission.objects.get(organization=cast.district).status == SubmissionStatus.SUBMITTED


def test_the_confirmation_form_shows_a_refused_explanation_on_its_field(cast, login, year, flagged):
    confirm = reverse("indicators:quality_confirm", kwargs={"period": "2024", "code": cast.district.code})
    page = login(cast.owner).post(confirm, {f"comment_{flagged.pk}": "<img src=x onerror=alert(1)>"})
    assert page.status_code == 200 and "is-invalid" in page.content.decode()
    assert "<img src=x" not in page.content.decode()  # the typed text comes back escaped
    assert not QualityConfirmation.objects.exists()
