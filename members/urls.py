from django.urls import path

from .views import history, lists, members, trainings

app_name = "members"

urlpatterns = [
    path("members/", lists.member_list, name="list"),
    # Before <card_number>/, which would otherwise take "new" and "training" for card numbers.
    path("members/new/", members.member_create, name="create"),
    path("members/training/", trainings.training_record, name="training"),
    path("members/<str:card_number>/", members.member_detail, name="detail"),
    path("members/<str:card_number>/edit/", members.member_edit, name="edit"),
    path("members/<str:card_number>/transfer/", history.member_transfer, name="transfer"),
    path("members/<str:card_number>/role/", history.member_role, name="role"),
    path("members/<str:card_number>/leave/", history.member_leave, name="leave"),
]
