"""The "Thông báo" page: the user's own notifications, unread first; opening one marks it read."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from unionportal.web import only_post, paginate

from ..selectors import get_notification_for_user, notifications_of
from ..services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 25


def notification_list(request):
    page = paginate(request, notifications_of(request.user), per_page=PAGE_SIZE)
    return render(request, "notifications/list.html", {"page": page})


def notification_open(request, pk: int):
    """Marks the notification read and goes to the page where it is handled (someone else's: 404)."""
    notification = get_notification_for_user(request.user, pk)
    notification_mark_read(notification=notification)
    target = notification.path
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "notifications:list"  # a stored path is always the portal's own; never send anyone elsewhere
    return redirect(target)


def mark_all_read(request):
    if refused := only_post(request):
        return refused
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")
