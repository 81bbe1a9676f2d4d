from django.urls import path

from . import views

app_name = "restructure"

urlpatterns = [
    path("restructure/", views.plan_list, name="list"),
    path("restructure/new/", views.plan_create, name="create"),
    path("restructure/template.xlsx", views.plan_template, name="template"),
    path("restructure/<int:pk>/", views.plan_detail, name="detail"),
    path("restructure/<int:pk>/edit/", views.plan_edit, name="edit"),
    path("restructure/<int:pk>/upload/", views.plan_upload, name="upload"),
    path("restructure/<int:pk>/apply/", views.plan_apply, name="apply"),
    path("restructure/<int:pk>/reverse/", views.plan_reverse, name="reverse"),
]
