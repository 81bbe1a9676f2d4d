from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from organizations import hooks as registry

        from . import rollups

        # The dashboards follow the registry: a refresh in the background after each change commits.
        registry.registry_changed.register(rollups.queue_registry_refresh)
