"""The start page, at the root of the site: the root URLconf includes it by name (it knows no app)."""

from django.urls import path

from .views.home import home

urlpatterns = [path("", home, name="home")]
