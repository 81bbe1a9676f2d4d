from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    # The token scheme (api/schema.py) is told to drf-spectacular by the schema view's module
    # (api/views/docs.py), imported with the URLs: a management command does not load
    # drf-spectacular and Django REST framework (0.17 s of every command's start-up).
