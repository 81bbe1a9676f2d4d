"""Writes for program documents (the allocation of their targets is indicators/targets/services.py).

A program is saved whole: its fields, its legal bases, its sections of tasks and its
milestones, as the form shows them. Bases and milestones have no identity of their own
(nothing refers to them), so they are replaced in the order given; sections keep theirs,
because the bodies' task reports refer to them (_replace_sections).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.permissions import Action, scope_for
from unionportal import generations

from .models import Milestone, Program, ProgramBasis, ProgramSection

PROGRAM_FIELDS = (
    "number",
    "kind",
    "title",
    "subject",
    "issuer",
    "issuer_name",
    "issuer_superior",
    "place",
    "issued_on",
    "start_year",
    "end_year",
    "scope",
    "goals",
    "notes",
    "status",
    "signed_by",
    "signer_title",
    "coverage_threshold",
)


@dataclass(frozen=True)
class SectionSpec:
    title: str
    id: int | None = None  # the section this row edits; None: a new section
    body: str = ""
    responsible: list[Organization] = field(default_factory=list)
    responsible_text: str = ""


@dataclass(frozen=True)
class MilestoneSpec:
    kind: str
    year: int
    due_on: datetime.date | None = None
    title: str = ""


def _require_manager(user, organization: Organization) -> None:
    if not scope_for(user).can(Action.MANAGE_PROGRAMS, organization):
        raise PermissionDenied(_("You may not manage the programs of %(name)s.") % {"name": organization.name})


def _replace_parts(
    program: Program,
    bases: list[str] | None,
    sections: list[SectionSpec] | None,
    milestones: list[MilestoneSpec] | None,
) -> None:
    if bases is not None:
        program.bases.all().delete()
        ProgramBasis.objects.bulk_create(
            ProgramBasis(program=program, order=i, text=text.strip())
            for i, text in enumerate(bases, start=1)
            if text.strip()
        )
    if sections is not None:
        _replace_sections(program, sections)
    if milestones is not None:
        program.milestones.all().delete()
        rows = [
            Milestone(program=program, kind=m.kind, year=m.year, due_on=m.due_on, title=m.title.strip())
            for m in milestones
        ]
        for row in rows:
            row.full_clean(exclude=["program"])
        Milestone.objects.bulk_create(rows)


def _replace_sections(program: Program, sections: list[SectionSpec]) -> None:
    """Sections keep their identity, since bodies report on them as tasks: a row carrying the id of one
    of the program's sections edits it, any other row is a new section, and a section no longer
    listed is removed, unless a body has reported on it (then the whole save is refused)."""
    existing = {section.pk: section for section in program.sections.all()}
    kept_ids = {spec.id for spec in sections if spec.id in existing}
    for pk in set(existing) - kept_ids:
        try:
            with transaction.atomic():
                existing[pk].delete()
        except ProtectedError:
            raise ValidationError(
                _(
                    "The section “%(title)s” cannot be removed: bodies have reported on it as a task. "
                    "Keep it (its wording may change)."
                )
                % {"title": existing[pk].title}
            ) from None
    for i, spec in enumerate(sections, start=1):
        section = existing[spec.id] if spec.id in kept_ids else ProgramSection(program=program)
        section.order = i
        section.title = spec.title.strip()
        section.body = spec.body.strip()
        section.responsible_text = spec.responsible_text.strip()
        section.full_clean(exclude=["program"])
        section.save()
        section.responsible.set(spec.responsible)


def _set_original(program: Program, original: UploadedFile | None, remove_original: bool) -> None:
    """Replace or remove the attached document; the old file goes once the transaction commits."""
    if not original and not remove_original:
        return
    old_name = program.original.name if program.original else ""
    storage = program.original.storage
    program.original = original or ""
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def program_create(
    *,
    by,
    code: str,
    bases: list[str] | None = None,
    sections: list[SectionSpec] | None = None,
    milestones: list[MilestoneSpec] | None = None,
    original: UploadedFile | None = None,
    **fields,
) -> Program:
    _require_manager(by, fields["scope"])
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {', '.join(sorted(unknown))}")
    if not fields.get("issuer_name") and fields.get("issuer"):
        fields["issuer_name"] = fields["issuer"].name
    program = Program(code=code.strip(), **fields)
    if original:
        program.original = original
    program.full_clean()
    program.save()
    _replace_parts(program, bases or [], sections or [], milestones or [])
    return program


@transaction.atomic
def program_update(
    *,
    program: Program,
    by,
    bases: list[str] | None = None,
    sections: list[SectionSpec] | None = None,
    milestones: list[MilestoneSpec] | None = None,
    original: UploadedFile | None = None,
    remove_original: bool = False,
    **fields,
) -> Program:
    """Change a program. Moving it to another scope needs the right at both ends."""
    _require_manager(by, program.scope)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {', '.join(sorted(unknown))}")
    if "scope" in fields and fields["scope"].pk != program.scope_id:
        _require_manager(by, fields["scope"])
    if not fields.get("issuer_name", program.issuer_name) and fields.get("issuer"):
        fields["issuer_name"] = fields["issuer"].name
    for name, value in fields.items():
        setattr(program, name, value)
    _set_original(program, original, remove_original)
    program.full_clean()
    program.save()
    _replace_parts(program, bases, sections, milestones)
    generations.bump_after_commit(everything=True)  # its dashboards show its title, notes and indicators
    return program
