from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from . import triggers

        # The triggers are (re)installed from the list in triggers.py, not from a migration:
        # on SQLite they live per connection, and on PostgreSQL the list stays in one place.
        connection_created.connect(triggers.on_connection_created, dispatch_uid="audit-connection")
        pre_migrate.connect(triggers.on_pre_migrate, dispatch_uid="audit-pre-migrate")
        post_migrate.connect(triggers.on_post_migrate, dispatch_uid="audit-post-migrate")
