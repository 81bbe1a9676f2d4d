"""The written parts of a report: the document's particulars (ReportNarrative) and sections I–III.

Sections I–III are drafted from the figures (reports/drafting.py); the office edits a section in
place of its draft (EditedSection: narrative_save) or goes back to the draft (narrative_reset).
report_texts() gives the sections as a report shows them: the frozen version's own texts, or the
edits over the draft of the figures shown. A new frozen version keeps them (texts_snapshot).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import ReportingPeriod
from organizations.models import Organization
from organizations.permissions import Action, scope_for
from programs.models import Program
from unionportal.concurrency import check_version
from unionportal.templatetags.vn import person_name

from .data import ReportData, build_report
from .drafting import SECTIONS, SectionText, draft
from .models import EditedSection, FrozenReport, ReportNarrative

NARRATIVE_FIELDS = (
    "number",
    "place",
    "dated",
    "recipients",
    "signer_on_behalf",
    "signer_title",
    "signer_name",
)


def narrative_for(organization: Organization, program: Program, period: ReportingPeriod, kind: str) -> ReportNarrative:
    """The saved text of the report, or a new, unsaved one with the defaults."""
    found = ReportNarrative.objects.filter(organization=organization, program=program, period=period, kind=kind).first()
    return found or ReportNarrative(organization=organization, program=program, period=period, kind=kind, version=0)


@transaction.atomic
def report_narrative_save(
    *,
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    kind: str,
    values: dict,
    seen_version: int | None = None,
    by=None,
) -> ReportNarrative:
    """Save the written parts; refuse when someone else saved since the form was opened (seen_version)."""
    narrative = (
        ReportNarrative.objects.select_for_update()
        .filter(organization=organization, program=program, period=period, kind=kind)
        .first()
    )
    if narrative is None:
        narrative = ReportNarrative(organization=organization, program=program, period=period, kind=kind, version=0)
    check_version(
        narrative,
        seen_version,
        message=_(
            "Someone else saved this report's text while you were editing it. Reload the page to see their text."
        ),
    )
    unknown = set(values) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not narrative fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(narrative, name, value)
    narrative.version += 1
    narrative.updated_by = by
    narrative.full_clean()
    narrative.save()
    return narrative


# --- sections I–III: the draft and what the office edited of it --------------------------------


def _edit_record(edit: EditedSection) -> dict:
    return {
        "text": edit.text,
        "draft": edit.draft,
        "by": person_name(edit.edited_by) if edit.edited_by else "",
        "at": edit.edited_at.isoformat() if edit.edited_at else "",
        "version": edit.version,
    }


def _section(section: str, drafted: str, edit: dict | None) -> SectionText:
    if edit is None:
        return SectionText(section=section, text=drafted, draft=drafted)
    return SectionText(
        section=section,
        text=edit["text"],
        draft=drafted,
        edited=True,
        edited_by=edit["by"],
        edited_at=edit["at"],
        draft_changed=bool(edit["draft"]) and edit["draft"] != drafted,
        version=edit.get("version", 0),
    )


def _edits(organization: Organization, program: Program, period: ReportingPeriod) -> dict[str, dict[str, dict]]:
    """Every kind of report's edited sections: {kind: {section: record}}."""
    edits: dict[str, dict[str, dict]] = {}
    rows = EditedSection.objects.filter(organization=organization, program=program, period=period)
    for edit in rows.select_related("edited_by").order_by("kind", "section"):
        edits.setdefault(edit.kind, {})[edit.section] = _edit_record(edit)
    return edits


def report_texts(
    data: ReportData,
    *,
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    kind: str,
    frozen: FrozenReport | None = None,
) -> dict[str, SectionText]:
    """Sections I–III of the report of `data`: a frozen version's own texts, else the edits over the draft.

    A version frozen before texts were kept has no edits: its figures' draft stands."""
    if frozen is not None:
        kept = frozen.texts or {"draft": draft(data), "edited": {}}
        edited = kept["edited"].get(kind, {})
        return {s: _section(s, kept["draft"][s], edited.get(s)) for s in SECTIONS}
    drafted = draft(data)
    edited = _edits(organization, program, period).get(kind, {})
    return {s: _section(s, drafted[s], edited.get(s)) for s in SECTIONS}


def texts_snapshot(organization: Organization, program: Program, period: ReportingPeriod, data: ReportData) -> dict:
    """What a frozen version keeps of sections I–III: the draft of its figures and every kind's edits."""
    return {"draft": draft(data), "edited": _edits(organization, program, period)}


def _check_right(by, organization: Organization) -> None:
    if by is not None and not scope_for(by).can(Action.ENTER_DATA, organization):
        raise PermissionDenied(_("You may not edit the text of this report."))


def _locked_edit(organization, program, period, kind: str, section: str) -> EditedSection | None:
    if section not in SECTIONS:
        raise ValueError(f"Not a section of the report: {section!r}")
    return (
        EditedSection.objects.select_for_update()
        .filter(organization=organization, program=program, period=period, kind=kind, section=section)
        .first()
    )


def _stale() -> str:
    return _("Someone else changed this section while you were editing it. Reload the page to see their text.")


@transaction.atomic
def narrative_save(
    *,
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    kind: str,
    section: str,
    text: str,
    seen_version: int | None = None,
    by=None,
) -> EditedSection:
    """Keep the office's text of one section in place of its draft; it stays until narrative_reset."""
    _check_right(by, organization)
    edit = _locked_edit(organization, program, period, kind, section)
    check_version(edit, seen_version, message=_stale())
    if edit is None:
        edit = EditedSection(
            organization=organization, program=program, period=period, kind=kind, section=section, version=0
        )
    edit.text = text
    # The draft the editor saw, to tell later whether the figures have moved since.
    edit.draft = draft(build_report(organization, program, period))[section]
    edit.version += 1
    edit.edited_by = by
    edit.full_clean()
    edit.save()
    return edit


@transaction.atomic
def narrative_reset(
    *,
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    kind: str,
    section: str,
    seen_version: int | None = None,
    by=None,
) -> None:
    """Go back to the automatic draft of one section: the edited text is removed (the audit trail keeps it)."""
    _check_right(by, organization)
    edit = _locked_edit(organization, program, period, kind, section)
    check_version(edit, seen_version, message=_stale())
    if edit is not None:
        edit.delete()
