from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from indicators import hooks as calendar
        from indicators.entry import hooks as entry
        from indicators.workflow import hooks as workflow
        from members import hooks as members
        from organizations import hooks as registry
        from unionportal import hooks as core

        from . import history, rollups, services, warmup

        # The dashboards follow the registry, the figures and the calendar: a refresh in the
        # background once each change has committed.
        registry.registry_changed.register(rollups.queue_registry_refresh)
        entry.figures_changed.register(rollups.queue_figures_refresh)
        calendar.period_opened.register(rollups.queue_period_refresh)
        # New members of an import counted into the rollups in its transaction: no refresh to wait for.
        members.members_admitted.register(rollups.count_admitted)
        # The reports of periods before a restructuring keep the tree they were computed on.
        registry.tree_changing.register(history.tree_seal)
        registry.branch_page_sections.register(history.predecessors_section)
        # Accepted figures keep their reports: frozen in the acceptance's transaction, or nothing is accepted.
        workflow.submission_accepted.register(services.period_accepted)
        # A new app-server worker compiles the dashboards' statements before its first request.
        core.worker_started.register(warmup.warm_dashboards)
