from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("organizations/<str:code>/history/", views.organization_history, name="organization"),
    path("members/<str:card_number>/history/", views.member_history, name="member"),
    path("workplaces/<str:code>/history/", views.workplace_history, name="workplace"),
    path("data/<str:period>/<str:code>/history/", views.grid_history, name="grid"),
]
