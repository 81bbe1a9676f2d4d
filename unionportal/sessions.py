"""Sessions in the database, as Django keeps them, refusing session keys it could not have made,
and kept alive by a request without a write on every request."""

import datetime

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    """Django makes keys of lowercase letters and digits. A forged cookie holding anything else
    (a NUL, which PostgreSQL refuses in a query) is no session at all, as an unknown key is.

    It remembers when the stored session expires, so that SessionMiddleware below can tell
    whether this request must push the expiry on."""

    stored_expiry: datetime.datetime | None = None

    def _validate_session_key(self, key) -> bool:
        return bool(super()._validate_session_key(key)) and key.isascii() and key.isalnum()

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session is not None else None
        return session


class SessionMiddleware(DjangoSessionMiddleware):
    """A session ends SESSION_COOKIE_AGE (30 minutes) after the user's last request, as with
    SESSION_SAVE_EVERY_REQUEST, but its row is rewritten at most once every SESSION_REFRESH_SECONDS
    (60): one UPDATE and one commit per request were a tenth of a small page's cost under load.
    An idle session so ends between 29 and 30 minutes after the last request."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        stored = getattr(session, "stored_expiry", None)
        if session is not None and session.accessed and not session.modified and stored is not None:
            renewed = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
            if (renewed - stored).total_seconds() >= settings.SESSION_REFRESH_SECONDS:
                session.modified = True
        return super().process_response(request, response)
