"""Excel import of workplaces (đơn vị, doanh nghiệp), and their export."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
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
    INTEGER,
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
    UNCHANGED,
    UPDATE,
    WORKPLACE_KINDS,
    OrganizationChecks,
    Planned,
    counts_of,
    diffs_of,
    organizations_by_code,
    service_errors,
)


class WorkplaceImporter(BaseImporter):
    kind = "workplaces"
    sheet_title = "Đơn vị"
    title = gettext_lazy("Workplaces")
    columns = (
        Column(
            "code",
            "Mã đơn vị",
            CODE,
            cells.code,
            gettext_lazy(
                "The workplace's code in the registry (often its tax code). It identifies the row: importing a code that exists updates that workplace."
            ),
            example="5100112345",
            width=16,
        ),
        Column(
            "name",
            "Tên đơn vị",
            TEXT,
            partial(cells.text, max_length=255),
            gettext_lazy("The full name of the workplace (agency, school, enterprise, cooperative)."),
            example="Công ty TNHH Chế biến Chè Tân Trịnh",
            width=45,
        ),
        Column(
            "kind",
            "Loại hình",
            CHOICE,
            partial(cells.choice, values=WORKPLACE_KINDS),
            gettext_lazy("The type of workplace, chosen from the drop-down list."),
            example="Doanh nghiệp ngoài nhà nước",
            width=28,
            values=WORKPLACE_KINDS,
        ),
        Column(
            "worker_count",
            "Số lao động",
            INTEGER,
            cells.integer,
            gettext_lazy("The number of workers, a whole number typed as a number (not as text)."),
            example="35",
            width=14,
        ),
        Column(
            "female_worker_count",
            "Số lao động nữ",
            INTEGER,
            cells.integer,
            gettext_lazy("The number of women workers: a whole number, no more than the number of workers."),
            example="12",
            width=16,
        ),
        Column(
            "upper_union",
            "Mã công đoàn cấp trên",
            CODE,
            cells.code,
            gettext_lazy(
                "The code of the upper-level union responsible for the workplace (a district, sector or industrial-zone union), within the organizations you manage."
            ),
            example="HG-QB",
            width=22,
        ),
    )
    fields = {
        "name": "name",
        "kind": "kind",
        "worker_count": "worker_count",
        "female_worker_count": "female_worker_count",
        "upper_union": "upper_union",
        "code": "code",
    }

    def __init__(self, user=None, *, today: datetime.date | None = None) -> None:
        super().__init__()
        self.user = user
        self.checks = OrganizationChecks(scope_for(user) if user is not None else None)
        self.today = today or timezone.localdate()

    def validate(self, rows, *, formulas=None, progress: Progress = no_progress) -> Validation:
        parsed = list(self.parser.parse(rows, formulas=formulas or {}, progress=progress))
        seen: dict[str, int] = {}
        for item in parsed:
            code, workers, female = item.values[0], item.values[3], item.values[4]
            if code:
                if code in seen:
                    self.fail(
                        item.row,
                        "code",
                        "duplicate",
                        _(
                            "The code %(code)s is also on row %(first)s. Each workplace takes one row: remove or merge the duplicates."
                        )
                        % {"code": code, "first": seen[code]},
                        code,
                    )
                    item.ok = False
                else:
                    seen[code] = item.row
            if workers is not None and female is not None and female > workers:
                self.fail(
                    item.row,
                    "female_worker_count",
                    "female_above_total",
                    _("Women workers (%(female)s) cannot outnumber all workers (%(workers)s). Check both numbers.")
                    % {"female": female, "workers": workers},
                    female,
                )
                item.ok = False

        uppers = organizations_by_code(item.values[5] for item in parsed if item.values[5])
        existing = {
            w.code: w
            for w in Workplace.objects.filter(code__in=list(seen)).select_related("upper_union__level", "branch")
        }
        base_rank = Level.objects.get(code=Level.BASE).rank
        plan: list[Planned] = []
        for item in parsed:
            code, name, kind, workers, female, upper_code = item.values
            upper = uppers.get(upper_code) if upper_code else None
            if upper_code and not self._check_upper(item.row, upper_code, upper, base_rank):
                item.ok = False
            workplace = existing.get(code) if code else None
            if workplace is not None and not self._check_existing(item.row, workplace):
                item.ok = False
            if not item.ok:
                continue
            values = {
                "code": code,
                "name": name,
                "kind": kind,
                "worker_count": workers,
                "female_worker_count": female,
                "upper_union": upper,
            }
            if workplace is None:
                plan.append(Planned(item.row, CREATE, values))
                continue
            changes = {
                key: value
                for key, value in values.items()
                if key != "code"
                and getattr(workplace, key if key != "upper_union" else "upper_union_id")
                != (value.pk if key == "upper_union" else value)
            }
            plan.append(Planned(item.row, UPDATE if changes else UNCHANGED, values, workplace, changes))
        errors = sort_errors(self.errors)
        return Validation(
            rows=len(rows),
            errors=errors,
            counts=counts_of(plan),
            plan=None if errors else plan,
            fixes=self.parser.fixes(),
            diffs=[] if errors else diffs_of(plan, self),
        )

    def _check_upper(self, row: int, code: str, upper: Organization | None, base_rank: int) -> bool:
        if upper is None or not self.checks.sees(upper):
            self.fail(
                row,
                "upper_union",
                "upper_unknown",
                _(
                    "There is no union with code %(code)s among the organizations you manage. Check the code: it is shown on the union's page."
                )
                % {"code": code},
                code,
            )
        elif upper.level.rank >= base_rank:
            self.fail(
                row,
                "upper_union",
                "upper_not_upper",
                _(
                    "%(code)s (%(name)s) is a base union. Put the code of the upper-level union responsible for the workplace."
                )
                % {"code": code, "name": upper.name},
                code,
            )
        elif not upper.is_active:
            self.fail(
                row,
                "upper_union",
                "upper_inactive",
                _("%(name)s is no longer active (%(status)s). Put the code of the union that took over its work.")
                % {"name": upper.name, "status": upper.get_status_display()},
                code,
            )
        elif not self.checks.can(Action.EDIT_REGISTRY, upper):
            self.fail(
                row,
                "upper_union",
                "upper_forbidden",
                _("You may not edit the registry of %(name)s. Leave this row to the staff of that union.")
                % {"name": upper.name},
                code,
            )
        else:
            return True
        return False

    def _check_existing(self, row: int, workplace: Workplace) -> bool:
        visible = self.checks.sees(workplace.upper_union) or (
            workplace.branch is not None and self.checks.sees(workplace.branch)
        )
        if not visible:
            self.fail(
                row,
                "code",
                "code_taken",
                _(
                    "The code %(code)s is already used by a workplace outside the organizations you manage. Check the code; if it is right, ask the union responsible for that workplace."
                )
                % {"code": workplace.code},
                workplace.code,
            )
        elif not self.checks.can(Action.EDIT_REGISTRY, workplace.upper_union):
            self.fail(
                row,
                "code",
                "workplace_forbidden",
                _(
                    "You may not edit workplace %(code)s: it is in the registry of %(name)s. Remove this row or ask that union."
                )
                % {"code": workplace.code, "name": workplace.upper_union.name},
                workplace.code,
            )
        else:
            return True
        return False

    @transaction.atomic
    def commit(self, validation: Validation, *, progress: Progress = no_progress) -> Counts:
        plan: list[Planned] = validation.plan
        for number, item in enumerate(plan, start=1):
            try:
                if item.action == CREATE:
                    services.workplace_create(by=self.user, **item.values)
                elif item.action == UPDATE:
                    services.workplace_update(workplace=item.instance, by=self.user, **item.changes)
            except ValidationError as error:
                raise service_errors(item, error, self, self.fields)
            if number % 50 == 0:
                progress("committing", number, len(plan))
        return validation.counts

    def export_rows(self, under: Organization | None) -> Iterator[list]:
        queryset = Workplace.objects.all() if under is None else Workplace.objects.within(under)
        if self.checks.scope is not None:
            scope = self.checks.scope
            queryset = queryset.filter(scope.q("upper_union__path") | scope.q("branch__path"))
        for workplace in queryset.select_related("upper_union").order_by("code").iterator(chunk_size=2000):
            yield [
                workplace.code,
                workplace.name,
                WORKPLACE_KINDS.label(workplace.kind),
                workplace.worker_count,
                workplace.female_worker_count,
                workplace.upper_union.code,
            ]
