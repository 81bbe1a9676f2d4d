"""Demo programs: the four seeds and the confederation's standing statistics (demo/data/programs.py).

Idempotent: a program, an indicator or a target that exists (by code) is brought in
line with the data, never duplicated.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import DataElement, Indicator, Target
from organizations.models import Level, Organization
from programs.models import Milestone, Program, ProgramBasis, ProgramSection

from .data.programs import PROGRAMS, QT_SHARES, TLD_THONGKE

PROGRAM_FIELDS = (
    "number",
    "kind",
    "title",
    "subject",
    "issuer_name",
    "issuer_superior",
    "place",
    "start_year",
    "end_year",
    "signed_by",
    "signer_title",
    "goals",
    "notes",
)


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _program(spec: dict, organizations: dict[str, Organization]) -> tuple[Program, bool]:
    defaults = {field: spec[field] for field in PROGRAM_FIELDS}
    defaults["issuer"] = organizations.get(spec["issuer"]) if spec["issuer"] else None
    defaults["issued_on"] = _date(spec["issued_on"])
    defaults["scope"] = organizations[spec["scope"]]
    program, created = Program.objects.update_or_create(code=spec["code"], defaults=defaults)
    if created:
        ProgramBasis.objects.bulk_create(
            ProgramBasis(program=program, order=i, text=text) for i, text in enumerate(spec["bases"], start=1)
        )
        for i, (title, responsible, text) in enumerate(spec["sections"], start=1):
            section = ProgramSection.objects.create(program=program, order=i, title=title, responsible_text=text)
            section.responsible.set([organizations[code] for code in responsible])
        Milestone.objects.bulk_create(
            Milestone(program=program, kind=kind, year=year, due_on=_date(due), title=title)
            for kind, year, due, title in spec["milestones"]
        )
    return program, created


def _indicator(program: Program, order: int, spec: dict, elements: dict[str, DataElement], levels) -> Indicator:
    target = spec.get("target")
    fields = {
        "order": order,
        "name": spec["name"],
        "source_text": spec.get("source", ""),
        "unit": spec.get("unit", ""),
        "measure": spec["measure"],
        "level": levels[spec["level"]] if spec.get("level") else None,
        "sectors": spec.get("sectors", []),
        "workplace_kinds": spec.get("workplace_kinds", []),
        "min_workers": spec.get("min_workers"),
        "roles": spec.get("roles", []),
        "women_only": spec.get("women_only", False),
        "union_filter": spec.get("union_filter", ""),
        "element": elements[spec["element"]] if spec.get("element") else None,
        "min_choice": spec.get("min_choice", ""),
        "denominator": elements[spec["denominator"]] if spec.get("denominator") else None,
        "eligibility": elements[spec["eligibility"]] if spec.get("eligibility") else None,
        "trained_within_program": spec.get("trained_within_program", False),
        "comparison": spec.get("comparison", "gte"),
        "target_value": Decimal(str(target)) if target is not None else None,
        "target_value_max": Decimal(str(spec["target_max"])) if spec.get("target_max") is not None else None,
        "direction": spec.get("direction", "higher"),
        "unreported_rule": spec.get("unreported_rule", "reported"),
        "time_rule": spec.get("time_rule", "every_year"),
        "target_year": spec.get("target_year"),
        "baseline_value": Decimal(str(spec["baseline"])) if spec.get("baseline") is not None else None,
        "baseline_year": spec.get("baseline_year"),
        "allocation": spec.get("allocation", "none"),
    }
    indicator, _created = Indicator.objects.update_or_create(program=program, code=spec["code"], defaults=fields)
    return indicator


def _share(value: Decimal, share: float) -> Decimal:
    return (value * Decimal(str(share))).quantize(Decimal(1), rounding=ROUND_HALF_UP)


# Seed 004 orders the allocation but gives no figures: the demo's shares are an example.
ALLOCATION_NOTE = "Ví dụ: dữ liệu mẫu tự phân bổ theo tỷ lệ 40 % / 30 % / 30 %; văn bản không ghi số phân bổ."


def _allocate(indicator: Indicator, spec: dict, organizations: dict[str, Organization]) -> int:
    """Seed 004's allocation to the upper-level unions: the term's target, or each year's."""
    years = [None] if spec.get("allocate") == "term" else list(indicator.program.years)
    created = 0
    for code, share in QT_SHARES.items():
        for year in years:
            value_max = _share(indicator.target_value_max, share) if indicator.target_value_max else None
            _target, new = Target.objects.update_or_create(
                indicator=indicator,
                organization=organizations[code],
                year=year,
                defaults={
                    "comparison": indicator.comparison,
                    "value": _share(indicator.target_value, share),
                    "value_max": value_max,
                    "note": ALLOCATION_NOTE,
                },
            )
            created += new
    return created


@transaction.atomic
def load(*, password: str, stdout: TextIO | None = None) -> None:
    codes = {spec["scope"] for spec in PROGRAMS} | {spec["issuer"] for spec in PROGRAMS if spec["issuer"]}
    codes |= set(QT_SHARES)
    for spec in PROGRAMS:
        for section in spec["sections"]:
            codes |= set(section[1])
    organizations = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    elements = {e.code: e for e in DataElement.objects.all()}
    levels = {level.code: level for level in Level.objects.all()}
    new_programs = indicators = targets = 0
    for spec in PROGRAMS:
        program, created = _program(spec, organizations)
        new_programs += created
        for order, indicator_spec in enumerate(spec["indicators"], start=1):
            indicator = _indicator(program, order, indicator_spec, elements, levels)
            indicators += 1
            if indicator_spec.get("allocate"):
                targets += _allocate(indicator, indicator_spec, organizations)
    if stdout is not None:
        stdout.write(
            _("Programs: %(total)s, %(created)s of them new; %(indicators)s indicators; %(targets)s targets allocated.")
            % {"total": len(PROGRAMS), "created": new_programs, "indicators": indicators, "targets": targets}
        )


def load_statistics_program() -> None:
    """The confederation's standing statistics (TLD-THONGKE) alone, the program the national scorecard
    shows: the synthetic dataset's only program."""
    organizations = {"VN": Organization.objects.get(code="VN")}
    program, _created = _program(TLD_THONGKE, organizations)
    elements = {e.code: e for e in DataElement.objects.all()}
    levels = {level.code: level for level in Level.objects.all()}
    for order, spec in enumerate(TLD_THONGKE["indicators"], start=1):
        _indicator(program, order, spec, elements, levels)
