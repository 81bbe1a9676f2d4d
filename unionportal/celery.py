"""The Celery application, for production's background workers (JOBS_BACKEND=celery).

    celery -A unionportal worker --concurrency 2

Without JOBS_BACKEND=celery nothing here runs: the embedded default runs jobs in a
thread of the web process and needs no other service.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.production")

app = Celery("unionportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["unionportal"])
