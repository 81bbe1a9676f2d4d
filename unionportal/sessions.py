"""Sessions in the database, as Django keeps them, refusing session keys it could not have made."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    """Django makes keys of lowercase letters and digits. A forged cookie holding anything else
    (a NUL, which PostgreSQL refuses in a query) is no session at all, as an unknown key is."""

    def _validate_session_key(self, key) -> bool:
        return bool(super()._validate_session_key(key)) and key.isascii() and key.isalnum()
