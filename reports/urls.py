from django.urls import path

from .views import dashboard, document, downloads

app_name = "reports"

REPORT = "reports/<str:code>/<str:program>/<str:period>/"

urlpatterns = [
    path("reports/", dashboard.report_index, name="index"),
    # Before the report patterns, which would otherwise take "files" for a program code.
    path("reports/<str:code>/files/<int:pk>/status/", downloads.file_status, name="file_status"),
    path("reports/<str:code>/files/<int:pk>/download/", downloads.file_download, name="file_download"),
    path("reports/<str:code>/", dashboard.organization_reports, name="organization"),
    path("reports/<str:code>/<str:program>/", dashboard.program_reports, name="program"),
    path(REPORT, dashboard.dashboard, name="dashboard"),
    path(REPORT + "branches/<str:indicator>/", dashboard.branches, name="branches"),
    path(REPORT + "document/", document.document, name="document"),
    path(REPORT + "document/narrative/", document.narrative, name="narrative"),
    path(REPORT + "document/sections/<str:section>/", document.section, name="section"),
    path(REPORT + "document/sections/<str:section>/reset/", document.section_reset, name="section_reset"),
    path(REPORT + "versions/new/", document.new_version, name="new_version"),
    path(REPORT + "export.pdf", downloads.export, {"fmt": "pdf"}, name="export_pdf"),
    path(REPORT + "export.docx", downloads.export, {"fmt": "docx"}, name="export_docx"),
    path(REPORT + "export.xlsx", downloads.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path(REPORT + "report.json", downloads.report_json, name="json"),
    path(REPORT + "files/new/", downloads.file_create, name="file_create"),
]
