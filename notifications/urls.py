from django.urls import path

from .views import inbox, preferences

app_name = "notifications"

# The to-do list, the notifications page, the settings, the unsubscribe link, "Nhắc" and the
# webhooks' administration; included by name in unionportal/urls.py.
urlpatterns: list = [
    path("notifications/", inbox.notification_list, name="list"),
    path("notifications/<int:pk>/", inbox.notification_open, name="open"),
    path("notifications/read/", inbox.mark_all_read, name="mark_all_read"),
    path("notifications/settings/", preferences.preferences, name="settings"),
    # Public: reached from an email, without logging in (unionportal/urls.py: PUBLIC_URL_NAMES).
    path("notifications/unsubscribe/<str:token>/", preferences.unsubscribe_page, name="unsubscribe"),
]
