"""Local development: `make run` serves this on an embedded SQLite database."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# A development-only key; production.py refuses to start without its own.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
# Emails are printed on the console unless EMAIL_BACKEND says otherwise (no mail server needed).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
