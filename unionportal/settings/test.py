"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL is set (CI)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Hashing is not what these tests test; the fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files come straight from the apps (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Background jobs (Excel imports) run at once, inside the request or the test.
JOBS_RUN_INLINE = True
# The dashboards' cache on, as in production: the tests run in one process, so the default cache is shared.
REPORT_CACHE_SECONDS = 3600
# A saved figure shows on the next request (tests/reports/test_dashboard_cache.py turns the window on).
REPORT_STALE_SECONDS = 0
