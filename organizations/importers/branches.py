"""Excel import of base unions (CĐCS), and their export."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.spreadsheets import cells
from unionportal.spreadsheets.spec import (
    CHOICE,
    CODE,
    DATE,
    TEXT,
    BaseImporter,
    Column,
    Counts,
    Progress,
    Validation,
    no_progress,
    sort_errors,
)

from .. import services
from ..models import Level, Organization, Workplace
from ..permissions import Action, scope_for
from .common import (
    CREATE,
    SECTORS,
    UNCHANGED,
    UPDATE,
    OrganizationChecks,
    Planned,
    counts_of,
    diffs_of,
    organizations_by_code,
    service_errors,
)


@dataclass
class _Known:
    """What the registry already holds about the file's codes, read once for all its rows."""

    parents: dict[str, Organization]
    existing: dict[str, Organization]
    workplaces: dict[str, Workplace]
    base_level: Level
    current_parents: dict[str, Organization] = field(default_factory=dict)


class BranchImporter(BaseImporter):
    kind = "branches"
    sheet_title = "CĐCS"
    title = gettext_lazy("Base unions")
    notes = (
        gettext_lazy(
            "Import the workplaces first: the last column links a base union to the workplace where it was founded."
        ),
        gettext_lazy(
            "Moving a base union to another upper-level union is a restructuring: use “Move” on its page, not this file."
        ),
    )
    columns = (
        Column(
            "code",
            "Mã CĐCS",
            CODE,
            cells.code,
            gettext_lazy(
                "The base union's code. It identifies the row: importing a code that exists updates that base union."
            ),
            example="HG-QB-TH45",
            width=16,
        ),
        Column(
            "name",
            "Tên CĐCS",
            TEXT,
            partial(cells.text, max_length=255),
            gettext_lazy("The full name of the base union."),
            example="CĐCS Trường Tiểu học Bằng Lang",
            width=45,
        ),
        Column(
            "parent",
            "Mã công đoàn cấp trên",
            CODE,
            cells.code,
            gettext_lazy(
                "The code of the upper-level union the base union belongs to, within the organizations you manage."
            ),
            example="HG-QB",
            width=22,
        ),
        Column(
            "sector",
            "Khu vực",
            CHOICE,
            partial(cells.choice, values=SECTORS),
            gettext_lazy("The sector of the base union, chosen from the drop-down list."),
            example="Trường học",
            width=28,
            values=SECTORS,
        ),
        Column(
            "founded_on",
            "Ngày thành lập",
            DATE,
            partial(cells.date, required=False),
            gettext_lazy(
                "The founding date, dd/mm/yyyy. May be left empty; an empty cell keeps the date already recorded."
            ),
            example="15/09/2010",
            required=False,
            width=16,
        ),
        Column(
            "workplace",
            "Mã đơn vị",
            CODE,
            partial(cells.code, required=False),
            gettext_lazy(
                "The code of the workplace where the base union was founded (from the workplaces file): this link makes the workplace count as unionized. Empty: no link."
            ),
            example="DV-HG-QB-TH45",
            required=False,
            width=18,
        ),
    )
    fields = {"name": "name", "sector": "sector", "founded_on": "founded_on", "code": "code", "branch": "workplace"}

    def __init__(self, user=None, *, today: datetime.date | None = None) -> None:
        super().__init__()
        self.user = user
        self.checks = OrganizationChecks(scope_for(user) if user is not None else None)
        self.today = today or timezone.localdate()

    def validate(self, rows, *, formulas=None, progress: Progress = no_progress) -> Validation:
        parsed = list(self.parser.parse(rows, formulas=formulas or {}, progress=progress))
        seen, seen_workplaces = self._check_rows(parsed)
        known = _Known(
            parents=organizations_by_code(item.values[2] for item in parsed if item.values[2]),
            existing=organizations_by_code(seen),
            workplaces={
                w.code: w
                for w in Workplace.objects.filter(code__in=list(seen_workplaces)).select_related(
                    "upper_union__level", "branch"
                )
            },
            base_level=Level.objects.get(code=Level.BASE),
        )
        known.current_parents = {
            o.path: o
            for o in Organization.objects.filter(path__in={o.parent_path for o in known.existing.values()}).order_by()
        }
        plan = [planned for item in parsed if (planned := self._plan(item, known)) is not None]
        errors = sort_errors(self.errors)
        return Validation(
            rows=len(rows),
            errors=errors,
            counts=counts_of(plan),
            plan=None if errors else plan,
            fixes=self.parser.fixes(),
            diffs=[] if errors else diffs_of(plan, self),
        )

    def _check_rows(self, parsed) -> tuple[dict[str, int], dict[str, int]]:
        """Each row on its own and against the others: duplicate codes and workplaces, future dates.

        Returns the first row of each base union's code and of each workplace's code.
        """
        seen: dict[str, int] = {}
        seen_workplaces: dict[str, int] = {}
        for item in parsed:
            code, _name, _parent, _sector, founded_on, workplace_code = item.values
            if code and code in seen:
                message = _(
                    "The code %(code)s is also on row %(first)s. Each base union takes one row: remove or merge the duplicates."
                ) % {"code": code, "first": seen[code]}
                self.fail(item.row, "code", "duplicate", message, code)
                item.ok = False
            elif code:
                seen[code] = item.row
            if workplace_code and workplace_code in seen_workplaces:
                message = _(
                    "Workplace %(code)s is also given on row %(first)s. A workplace has one base union: keep it on one row."
                ) % {"code": workplace_code, "first": seen_workplaces[workplace_code]}
                self.fail(item.row, "workplace", "duplicate_workplace", message, workplace_code)
                item.ok = False
            elif workplace_code:
                seen_workplaces[workplace_code] = item.row
            if founded_on and founded_on > self.today:
                message = _("The founding date %(date)s is in the future. Check the year.") % {
                    "date": founded_on.strftime("%d/%m/%Y")
                }
                self.fail(item.row, "founded_on", "date_future", message, founded_on)
                item.ok = False
        return seen, seen_workplaces

    def _plan(self, item, known: _Known) -> Planned | None:
        """What the row does to the registry (create, update, nothing), or None when it is refused."""
        code, name, parent_code, sector, founded_on, workplace_code = item.values
        parent = known.parents.get(parent_code) if parent_code else None
        if parent_code and not self._check_parent(item.row, parent_code, parent):
            item.ok = False
        branch = known.existing.get(code) if code else None
        if branch is not None and not self._check_existing(item.row, branch, parent, known.current_parents):
            item.ok = False
        workplace = None
        if workplace_code:
            workplace = known.workplaces.get(workplace_code)
            if not self._check_workplace(item.row, workplace_code, workplace, code):
                item.ok = False
        if not item.ok:
            return None
        values = {
            "code": code,
            "name": name,
            "parent": parent,
            "sector": sector,
            "founded_on": founded_on,
            "level": known.base_level,
        }
        link = workplace if workplace is not None and (branch is None or workplace.branch_id != branch.pk) else None
        if branch is None:
            return Planned(item.row, CREATE, values, link=link)
        # An empty optional cell never erases what the registry knows.
        changes = {
            key: values[key]
            for key in ("name", "sector", "founded_on")
            if values[key] is not None and getattr(branch, key) != values[key]
        }
        action = UPDATE if changes or link is not None else UNCHANGED
        return Planned(item.row, action, values, branch, changes, link)

    def _check_parent(self, row: int, code: str, parent: Organization | None) -> bool:
        if parent is None or not self.checks.sees(parent):
            self.fail(
                row,
                "parent",
                "parent_unknown",
                _(
                    "There is no union with code %(code)s among the organizations you manage. Check the code: it is shown on the union's page."
                )
                % {"code": code},
                code,
            )
        elif parent.level.code != Level.UPPER:
            self.fail(
                row,
                "parent",
                "parent_not_upper",
                _(
                    "%(code)s (%(name)s) is not an upper-level union. Put the code of the district, sector or industrial-zone union the base union belongs to."
                )
                % {"code": code, "name": parent.name},
                code,
            )
        elif not parent.is_active:
            self.fail(
                row,
                "parent",
                "parent_inactive",
                _("%(name)s is no longer active (%(status)s). Put the code of the union that took over its work.")
                % {"name": parent.name, "status": parent.get_status_display()},
                code,
            )
        elif not self.checks.can(Action.EDIT_REGISTRY, parent):
            self.fail(
                row,
                "parent",
                "parent_forbidden",
                _("You may not edit the registry of %(name)s. Leave this row to the staff of that union.")
                % {"name": parent.name},
                code,
            )
        else:
            return True
        return False

    def _check_existing(
        self, row: int, branch: Organization, parent: Organization | None, current_parents: dict
    ) -> bool:
        if not self.checks.sees(branch):
            self.fail(
                row,
                "code",
                "code_taken",
                _(
                    "The code %(code)s is already used by a union outside the organizations you manage. Give the base union another code."
                )
                % {"code": branch.code},
                branch.code,
            )
        elif branch.level.code != Level.BASE:
            self.fail(
                row,
                "code",
                "not_a_branch",
                _("The code %(code)s belongs to %(name)s, which is not a base union. Give the base union another code.")
                % {"code": branch.code, "name": branch.name},
                branch.code,
            )
        elif not branch.is_active:
            self.fail(
                row,
                "code",
                "branch_inactive",
                _("%(name)s is no longer active (%(status)s): an import cannot change it. Remove this row.")
                % {"name": branch.name, "status": branch.get_status_display()},
                branch.code,
            )
        elif not self.checks.can(Action.EDIT_REGISTRY, branch):
            self.fail(
                row,
                "code",
                "branch_forbidden",
                _("You may not edit %(name)s. Remove this row or ask its upper-level union.") % {"name": branch.name},
                branch.code,
            )
        elif parent is not None and branch.parent_path != parent.path:
            current = current_parents.get(branch.parent_path)
            current_code = current.code if current else ""
            self.fail(
                row,
                "parent",
                "branch_moved",
                _(
                    "%(name)s belongs to %(current_code)s. Moving it to %(new_code)s is a restructuring: use “Move” on the base union's page, or put %(current_code)s in this cell."
                )
                % {"name": branch.name, "current_code": current_code, "new_code": parent.code},
                parent.code,
            )
        else:
            return True
        return False

    def _check_workplace(self, row: int, code: str, workplace: Workplace | None, branch_code: str) -> bool:
        visible = workplace is not None and (
            self.checks.sees(workplace.upper_union)
            or (workplace.branch is not None and self.checks.sees(workplace.branch))
        )
        if not visible:
            self.fail(
                row,
                "workplace",
                "workplace_unknown",
                _(
                    "There is no workplace with code %(code)s among the organizations you manage. Import the workplaces file first, or check the code."
                )
                % {"code": code},
                code,
            )
        elif not self.checks.can(Action.EDIT_REGISTRY, workplace.upper_union):
            self.fail(
                row,
                "workplace",
                "workplace_forbidden",
                _(
                    "You may not edit workplace %(code)s: it is in the registry of %(name)s. Leave this cell empty or ask that union."
                )
                % {"code": code, "name": workplace.upper_union.name},
                code,
            )
        elif workplace.branch is not None and workplace.branch.is_active and workplace.branch.code != branch_code:
            self.fail(
                row,
                "workplace",
                "workplace_linked",
                _(
                    "Workplace %(code)s already has a base union: %(branch)s (%(branch_code)s). Leave this cell empty, or unlink it on the workplace's page first."
                )
                % {"code": code, "branch": workplace.branch.name, "branch_code": workplace.branch.code},
                code,
            )
        else:
            return True
        return False

    @transaction.atomic
    def commit(self, validation: Validation, *, progress: Progress = no_progress) -> Counts:
        plan: list[Planned] = validation.plan
        for number, item in enumerate(plan, start=1):
            values = item.values
            try:
                if item.action == CREATE:
                    branch = services.organization_create(
                        parent=values["parent"],
                        code=values["code"],
                        name=values["name"],
                        level=values["level"],
                        sector=values["sector"],
                        founded_on=values["founded_on"],
                        by=self.user,
                    )
                elif item.action == UPDATE:
                    branch = item.instance
                    if item.changes:
                        branch = services.organization_update(organization=branch, by=self.user, **item.changes)
                else:
                    continue
                if item.link is not None:
                    services.workplace_update(workplace=item.link, branch=branch, by=self.user)
            except ValidationError as error:
                raise service_errors(item, error, self, self.fields)
            if number % 50 == 0:
                progress("committing", number, len(plan))
        return validation.counts

    def export_rows(self, under: Organization | None) -> Iterator[list]:
        queryset = Organization.objects.base().active()
        if under is not None:
            queryset = queryset.within(under)
        if self.checks.scope is not None:
            queryset = queryset.filter(self.checks.scope.q("path"))
        branches = list(
            queryset.order_by("code").values_list("pk", "code", "name", "path", "depth", "sector", "founded_on")
        )
        steplen = Organization.steplen
        parents = dict(
            Organization.objects.filter(
                path__in={path[:-steplen] for _pk, _c, _n, path, depth, *_ in branches if depth > 1}
            )
            .order_by()
            .values_list("path", "code")
        )
        workplaces: dict[int, str] = {}
        for branch_id, code in (
            Workplace.objects.filter(branch__in=queryset).order_by("-code").values_list("branch_id", "code")
        ):
            workplaces[branch_id] = code  # ordered backwards: the first code by order wins
        for pk, code, name, path, _depth, sector, founded_on in branches:
            yield [
                code,
                name,
                parents.get(path[:-steplen], ""),
                SECTORS.label(sector),
                founded_on,
                workplaces.get(pk, ""),
            ]
