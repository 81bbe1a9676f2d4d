from django.urls import path  # noqa: F401

app_name = "notifications"

# The to-do list, the notifications page, the settings, the unsubscribe link, "Nhắc" and the
# webhooks' administration; included by name in unionportal/urls.py.
urlpatterns: list = []
