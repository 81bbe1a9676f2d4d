from django.urls import path

from .views import branches, organizations, restructuring, tree, workplaces

app_name = "organizations"

urlpatterns = [
    path("organizations/", tree.organization_tree, name="tree"),
    path("organizations/<str:code>/", organizations.organization_detail, name="detail"),
    path("organizations/<str:code>/children/", tree.organization_children, name="children"),
    path("organizations/<str:code>/new/", organizations.organization_create, name="create"),
    path("organizations/<str:code>/edit/", organizations.organization_edit, name="edit"),
    path("organizations/<str:code>/dissolve/", restructuring.organization_dissolve, name="dissolve"),
    path("organizations/<str:code>/move/", restructuring.organization_move, name="move"),
    path("organizations/<str:code>/merge/", restructuring.organization_merge, name="merge"),
    path("organizations/<str:code>/split/", restructuring.organization_split, name="split"),
    path("branches/", branches.branch_list, name="branch_list"),
    path("workplaces/", workplaces.workplace_list, name="workplace_list"),
    path("workplaces/new/", workplaces.workplace_create, name="workplace_create"),
    path("workplaces/<str:code>/", workplaces.workplace_detail, name="workplace_detail"),
    path("workplaces/<str:code>/edit/", workplaces.workplace_edit, name="workplace_edit"),
]
