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
        from imports import hooks as imports
        from indicators.workflow import hooks as workflow
        from reports import hooks as reports

        from . import channels, events, receivers, webhooks

        workflow.submission_submitted.register(receivers.submitted)
        workflow.submission_returned.register(receivers.returned)
        workflow.submission_accepted.register(receivers.accepted)
        imports.job_finished.register(receivers.import_finished)
        reports.file_finished.register(receivers.report_file_finished)
        # The channels: stored notifications and their emails, then the organizations' webhooks.
        events.published.register(channels.store_and_email)
        events.published.register(webhooks.deliver)
