"""The portal's URLs plus two that fail, for the tests of the server-error pages."""

from django.db import OperationalError
from django.urls import path

from unionportal.urls import handler500  # noqa: F401
from unionportal.urls import urlpatterns as portal_urlpatterns


def fails(request):
    raise RuntimeError("a bug")


def database_down(request):
    raise OperationalError("database is locked")


urlpatterns = [
    path("broken/", fails, name="broken"),
    path("database-down/", database_down, name="database_down"),
    *portal_urlpatterns,
]
