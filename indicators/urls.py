from django.urls import path

from .entry.views import excel, grid
from .quality import views as quality
from .scorecard import views as scorecard
from .targets import views as targets
from .tasks import views as tasks
from .workflow import views as workflow

app_name = "indicators"

urlpatterns = [
    # The program's page is its scorecard: the document above, every indicator's figures below.
    path("programs/<str:code>/", scorecard.program_detail, name="program"),
    path("programs/<str:code>/indicators/<str:indicator>/", scorecard.indicator_detail, name="detail"),
    path("programs/<str:code>/indicators/<str:indicator>/allocate/", targets.indicator_allocate, name="allocate"),
    path("data/", grid.period_list, name="periods"),
    path("data/<str:period>/<str:code>/", grid.grid, name="grid"),
    path("data/<str:period>/<str:code>/excel/", excel.grid_download, name="grid_excel"),
    path("data/<str:period>/<str:code>/excel/upload/", excel.grid_upload, name="grid_excel_upload"),
    path("data/<str:period>/<str:code>/cell/<str:row>/<str:element>/", grid.cell, name="cell"),
    path("data/<str:period>/<str:code>/submit/", workflow.submit, name="submit"),
    path("data/<str:period>/<str:code>/quality/confirm/", quality.confirm, name="quality_confirm"),
    path("data/<str:period>/<str:code>/quality/recheck/", quality.recheck, name="quality_recheck"),
    path("data/<str:period>/<str:code>/quality/cells.json", quality.cells, name="quality_cells"),
    path("quality/<str:code>/", quality.quality_page, name="quality"),
    path("data/<str:period>/<str:code>/review/", workflow.review, name="review"),
    path("data/<str:period>/<str:code>/accept/", workflow.decide, {"action": "accept"}, name="accept"),
    path("data/<str:period>/<str:code>/return/", workflow.decide, {"action": "return"}, name="return"),
    path("data/<str:period>/<str:code>/reopen/", workflow.decide, {"action": "reopen"}, name="reopen"),
    path("data/<str:period>/<str:code>/waive/", workflow.decide, {"action": "waive"}, name="waive"),
    path("tasks/<str:period>/<str:code>/", tasks.task_list, name="tasks"),
    path("tasks/<str:period>/<str:code>/<int:task>/", tasks.task_save, name="task_save"),
    path("tasks/<str:period>/<str:code>/<int:task>/evidence/", tasks.evidence_upload, name="task_evidence_upload"),
    path("tasks/<str:period>/<str:code>/evidence/<int:pk>/", tasks.evidence_download, name="task_evidence"),
    path("tasks/<str:period>/<str:code>/evidence/<int:pk>/delete/", tasks.evidence_delete, name="task_evidence_delete"),
]
