"""The scoped lookup of an import job: a job belongs to its user; anyone else gets 404."""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import ImportJob


def get_job_for_user(user, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    if job is None:
        raise Http404(_("Import not found."))
    return job
