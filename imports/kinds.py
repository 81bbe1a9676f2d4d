"""The three kinds of file, their importers, and the right each needs."""

from __future__ import annotations

from django.http import Http404

from members.importers import MemberImporter
from organizations.importers import BranchImporter, WorkplaceImporter
from organizations.permissions import Action

IMPORTERS = {
    WorkplaceImporter.kind: WorkplaceImporter,
    BranchImporter.kind: BranchImporter,
    MemberImporter.kind: MemberImporter,
}
# Files are imported in this order: a branch names its workplace, a member their branch.
ORDER = (WorkplaceImporter.kind, BranchImporter.kind, MemberImporter.kind)

REQUIRED_ACTION = {
    WorkplaceImporter.kind: Action.EDIT_REGISTRY,
    BranchImporter.kind: Action.EDIT_REGISTRY,
    MemberImporter.kind: Action.EDIT_MEMBERS,
}


def importer_class(kind: str):
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise Http404(f"No import of {kind!r}")


# Kinds whose files carry personal data (dates of birth; Decree 13/2023/NĐ-CP): exporting them
# needs Action.EXPORT_PERSONAL_DATA and is logged (imports.models.ExportLog).
PERSONAL_KINDS = frozenset({"members"})
