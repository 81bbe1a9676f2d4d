"""The hooks: who listens to what (the table of docs/architecture.md), and when receivers run."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from unionportal.hooks import HOOKS, Hook

# Every hook of the portal and its receivers, as docs/architecture.md lists them.
# A hook added, or a receiver registered or dropped, changes this table on purpose.
RECEIVERS: dict[str, list[str]] = {
    "organizations.branches_merged": ["members.receivers.move_members"],
    "organizations.branches_dissolved": ["members.receivers.end_members"],
    "organizations.tree_changing": ["reports.history.tree_seal"],
    "organizations.branch_page_sections": ["members.panels.member_figures", "reports.history.predecessors_section"],
    "organizations.home_page_sections": ["notifications.todo.panels.todo_section"],
    "organizations.registry_changed": ["reports.rollups.queue_registry_refresh"],
    "members.members_admitted": ["reports.rollups.count_admitted"],
    "indicators.period_opened": ["reports.rollups.queue_period_refresh"],
    "indicators.figures_changed": ["reports.rollups.queue_figures_refresh"],
    "indicators.submission_accepted": ["reports.services.period_accepted", "notifications.receivers.accepted"],
    "indicators.submission_reopened": [],
    "indicators.submission_submitted": ["notifications.receivers.submitted"],
    "indicators.submission_returned": ["notifications.receivers.returned"],
    "imports.job_finished": ["notifications.receivers.import_finished"],
    "reports.file_finished": ["notifications.receivers.report_file_finished"],
    "unionportal.worker_started": ["reports.warmup.warm_dashboards"],
    "notifications.published": ["notifications.channels.store_and_email", "notifications.webhooks.deliver"],
}


def name_of(receiver) -> str:
    return f"{receiver.__module__}.{receiver.__qualname__}"


def test_every_hook_has_the_receivers_the_architecture_lists():
    assert {name: [name_of(r) for r in hook.receivers] for name, hook in HOOKS.items()} == RECEIVERS


def test_the_architecture_document_lists_every_hook():
    from pathlib import Path

    document = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [name for name in HOOKS if f"`{name}`" not in document]
    assert missing == []


def test_a_hook_runs_its_receivers_in_order_and_returns_what_they_return():
    hook = Hook("test.ordered")
    hook.register(lambda **payload: ("first", payload["n"]))
    hook.register(lambda **payload: ("second", payload["n"]))
    assert hook.run(n=1) == [("first", 1), ("second", 1)]


def test_a_required_hook_without_a_receiver_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        Hook("test.required", required=True).run()
    assert Hook("test.optional").run() == []


def test_registering_twice_keeps_one_receiver():
    hook = Hook("test.twice")

    def receiver(**payload):
        return None

    hook.register(receiver)
    hook.register(receiver)
    assert hook.receivers == (receiver,)


@pytest.mark.django_db
def test_on_commit_receivers_wait_for_the_commit_and_never_run_after_a_rollback(django_capture_on_commit_callbacks):
    hook, seen = Hook("test.later"), []
    hook.register(lambda **payload: seen.append(payload))
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            hook.run_on_commit(n=1)
            raise RuntimeError("rolled back")
        with transaction.atomic():
            hook.run_on_commit(n=2)
            assert seen == []
    assert seen == [{"n": 2}]


@pytest.mark.django_db
def test_a_coalescing_hook_runs_once_per_transaction_with_everything_merged(django_capture_on_commit_callbacks):
    hook, seen = Hook("test.merged", coalesce=True), []
    hook.register(lambda **payload: seen.append(payload))
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        hook.run_on_commit(within=["A"], changed={"members"})
        hook.run_on_commit(within=["B", "A"], changed={"branches"})
    assert len(callbacks) == 1
    assert seen == [{"within": ["A", "B"], "changed": ["members", "branches"]}]


@pytest.mark.django_db
def test_a_failing_follow_up_is_logged_and_leaves_the_action_committed(django_capture_on_commit_callbacks, caplog):
    hook = Hook("test.failing")

    def fail(**payload):
        raise RuntimeError("the refresh broke")

    hook.register(fail)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        hook.run_on_commit(n=1)
    assert "hook test.failing" in caplog.text
