"""The one Celery task: run a job function named by its dotted path (see unionportal/jobs.py)."""

from celery import shared_task
from django.utils.module_loading import import_string


@shared_task(name="unionportal.run_job", acks_late=True)
def run_job(path: str, *args) -> None:
    import_string(path)(*args)
