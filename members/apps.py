from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from organizations import hooks

        from . import panels, receivers

        # The members of merged, split and dissolved branches move or leave in the same transaction.
        hooks.branches_merged.register(receivers.move_members)
        hooks.branches_dissolved.register(receivers.end_members)
        hooks.branch_page_sections.register(panels.member_figures)
