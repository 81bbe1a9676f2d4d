from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Work that finds its people: the to-do list, notifications, reminders and webhooks.

    The top layer beside the audit trail: it listens to the hooks of the apps below (a report
    submitted, returned or accepted; an import or a report file finished) and publishes each as
    an Event (notifications/events.py) to its channels: stored notifications with their emails,
    and the organizations' webhooks.
    """

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The receivers of the lower apps' hooks and the channels of events.published are
        # registered here (docs/architecture.md lists them).
        from organizations import hooks as organization_hooks

        from . import events  # noqa: F401  (declares notifications.published)
        from .todo import panels

        # "Việc cần làm" on the home page of every user.
        organization_hooks.home_page_sections.register(panels.todo_section)
