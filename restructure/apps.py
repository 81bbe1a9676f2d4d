from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestructureConfig(AppConfig):
    name = "restructure"
    verbose_name = _("Restructuring plans")
