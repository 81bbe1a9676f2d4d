"""The user's account pages of the API app (their tokens), included at /account/ by the root URLconf."""

from django.urls import path

from .views import tokens

app_name = "account"

urlpatterns = [
    path("tokens/", tokens.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="api_token_revoke"),
]
