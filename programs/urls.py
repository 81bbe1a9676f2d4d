from django.urls import path

from .views import programs

app_name = "programs"

urlpatterns = [
    path("programs/", programs.program_list, name="list"),
    # Before <code>/, which would otherwise take "new" for a program code.
    path("programs/new/", programs.program_create, name="create"),
    # programs/<code>/ itself, the program's page with its scorecard, is indicators:program.
    path("programs/<str:code>/edit/", programs.program_edit, name="edit"),
    path("programs/<str:code>/original/", programs.program_original, name="original"),
]
