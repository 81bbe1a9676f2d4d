from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.index, name="index"),
    path("imports/jobs/<int:pk>/", views.job_detail, name="job"),
    path("imports/jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("imports/jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("imports/jobs/<int:pk>/errors.xlsx", views.job_error_file, name="job_error_file"),
    path("imports/<str:kind>/template/", views.template_download, name="template"),
    path("imports/<str:kind>/export/", views.export_download, name="export"),
    path("imports/<str:kind>/upload/", views.upload, name="upload"),
]
