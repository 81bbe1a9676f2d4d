"""/api/v1/: included by the root URLconf (unionportal/urls.py). Every route is walked by tests/api/test_api_walk.py."""

from django.urls import path, re_path

from .views import docs, members, organizations, reports, submissions

app_name = "api"

urlpatterns = [
    path("schema/", docs.schema_view(), name="schema"),
    path("docs/", docs.docs_view(), name="docs"),
    path("organizations/", organizations.OrganizationList.as_view(), name="organizations"),
    path("organizations/<str:code>/", organizations.OrganizationDetail.as_view(), name="organization"),
    path("organizations/<str:code>/history/", organizations.OrganizationHistory.as_view(), name="organization_history"),
    path("workplaces/", organizations.WorkplaceList.as_view(), name="workplaces"),
    path("workplaces/<str:code>/", organizations.WorkplaceDetail.as_view(), name="workplace"),
    path("members/", members.MemberList.as_view(), name="members"),
    path("members/bulk/", members.MemberBulk.as_view(), name="members_bulk"),
    path("members/<str:card_number>/", members.MemberDetail.as_view(), name="member"),
    # Submissions and reports (issue 15): api/views/submissions.py, api/views/reports.py.
    path("submissions/", submissions.SubmissionList.as_view(), name="submissions"),
    path("submissions/<str:period>/<str:code>/", submissions.SubmissionDetail.as_view(), name="submission"),
    path(
        "submissions/<str:period>/<str:code>/submit/", submissions.SubmissionSubmit.as_view(), name="submission_submit"
    ),
    path(
        "submissions/<str:period>/<str:code>/return/", submissions.SubmissionReturn.as_view(), name="submission_return"
    ),
    path(
        "submissions/<str:period>/<str:code>/accept/", submissions.SubmissionAccept.as_view(), name="submission_accept"
    ),
    path(
        "submissions/<str:period>/<str:code>/reopen/", submissions.SubmissionReopen.as_view(), name="submission_reopen"
    ),
    path("reports/", reports.ReportList.as_view(), name="reports"),
    path("reports/<str:program>/<str:period>/<str:code>/", reports.ReportDetail.as_view(), name="report"),
    path(
        "reports/<str:program>/<str:period>/<str:code>/versions/",
        reports.ReportVersions.as_view(),
        name="report_versions",
    ),
    path("reports/<str:program>/<str:period>/<str:code>/files/", reports.ReportFiles.as_view(), name="report_files"),
    path(
        "reports/<str:program>/<str:period>/<str:code>/files/<int:id>/",
        reports.ReportFileDetail.as_view(),
        name="report_file",
    ),
    path(
        "reports/<str:program>/<str:period>/<str:code>/files/<int:id>/download/",
        reports.ReportFileDownload.as_view(),
        name="report_file_download",
    ),
    # Anything else under /api/v1/ is a 404 in problem details, not the pages' HTML.
    re_path(r"^(?P<rest>.*)$", docs.not_found),
]
