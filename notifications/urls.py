from django.urls import path

from .todo import views as todo

app_name = "notifications"

# The to-do list, the notifications page, the settings, the unsubscribe link, "Nhắc" and the
# webhooks' administration; included by name in unionportal/urls.py.
urlpatterns: list = []

# "Nhắc" on the to-do list (the home page): remind a late body below of its report of the period (POST).
urlpatterns += [path("todo/remind/<str:period>/<str:code>/", todo.remind, name="remind")]
