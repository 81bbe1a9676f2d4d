"""The dashboards: where to start, the scorecard of a program with the drill-down and charts, the branches list."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.models import TaskStatus
from indicators.tasks.selectors import COUNTED, NOT_REPORTED
from organizations.lookups import get_organization_for_user
from organizations.models import Level, Organization, Sector
from organizations.selectors import ancestors_in_scope, tree_roots
from programs.lookups import programs_for_user
from unionportal import generations
from unionportal.web import only_get

from .. import selectors, services
from ..lookups import get_report_subject, programs_for_organization
from ..renderers.charts import distribution_chart, trend_chart
from .common import chosen_figures, report_url, sparkline

BRANCHES_PER_PAGE = 100


def report_index(request):
    """Reports start at the user's organization; several subtrees: pick one."""
    if refused := only_get(request):
        return refused
    roots = tree_roots(request.user)
    if len(roots) == 1:
        return redirect("reports:organization", code=roots[0].code)
    return render(request, "reports/index.html", {"roots": roots})


def organization_reports(request, code: str):
    """The programs that apply to an organization, each with its latest period; programs of the bodies below."""
    organization = get_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    programs = list(programs_for_organization(request.user, organization).order_by("-start_year", "code"))
    below = list(
        programs_for_user(request.user)
        .filter(scope__path__startswith=organization.path, scope__depth__gt=organization.depth)
        .select_related("scope")
        .order_by("scope__path", "code")
    )
    return render(
        request,
        "reports/organization.html",
        {
            "organization": organization,
            "trail": ancestors_in_scope(request.user, organization),
            "programs": programs,
            "below": below,
        },
    )


def program_reports(request, code: str, program: str):
    """The dashboard of the program's latest period that has begun."""
    subject = get_report_subject(request.user, code, program)
    if refused := only_get(request):
        return refused
    period = selectors.default_period(subject.program)
    if period is None:
        messages.info(request, _("This program has no reporting period yet."))
        return redirect("reports:organization", code=subject.organization.code)
    return redirect(
        "reports:dashboard", code=subject.organization.code, program=subject.program.code, period=period.code
    )


def _red_link(subject, indicator_code: str, *, organization_code: str, children_are_branches: bool, fits: bool, choice):
    """One click from a red cell to the branches that make it red."""
    if children_are_branches or not fits:
        return (
            report_url(
                "reports:dashboard",
                subject,
                code=organization_code,
                query={"indicator": indicator_code, "status": "red", **choice.query},
            )
            + "#drilldown"
        )
    return report_url(
        "reports:branches", subject, code=organization_code, indicator=indicator_code, query={"status": "red"}
    )


def _fits(subject, data, frozen) -> dict[str, bool]:
    """Whether each indicator has a figure per branch (its red figures lead to the branches' list). The live
    report computed it from the indicators just read; a frozen one is asked of the indicators as they are now
    (the list of branches is live: an indicator deleted since has none)."""
    if frozen is None:
        return {indicator.code: indicator.fits_a_branch for indicator in data.indicators}
    indicators = selectors.program_indicators(subject.program)
    return {code: selectors.fits_a_branch(model) for code, model in indicators.items()}


def _scorecard_rows(subject, data, frozen, choice, *, children_are_branches: bool) -> list[dict]:
    """One row per indicator: its figure, its sparkline, and where its red figures lead."""
    fitting = _fits(subject, data, frozen)
    has_branches = subject.organization.level.code not in (Level.BASE, Level.BELOW_BASE)
    rows = []
    for indicator in data.indicators:
        fits = fitting.get(indicator.code, False)
        red = indicator.figure.status in selectors.RED and has_branches
        link = _red_link(
            subject,
            indicator.code,
            organization_code=subject.organization.code,
            children_are_branches=children_are_branches,
            fits=fits,
            choice=choice,
        )
        rows.append(
            {
                "indicator": indicator,
                "sparkline": sparkline(indicator.trend),
                "red_link": link if red else "",
                "fits": fits,
            }
        )
    return rows


@dataclass(frozen=True)
class _Filters:
    """What the drill-down keeps and how it is sorted (?sector, ?status=red, ?sort, ?dir)."""

    sector: str
    red_only: bool
    sort: str
    descending: bool

    @classmethod
    def of(cls, params, *, children_are_branches: bool) -> _Filters:
        sector = params.get("sector", "") if children_are_branches else ""
        return cls(
            sector=sector if sector in Sector.values else "",
            red_only=params.get("status") == "red",
            sort=params.get("sort", ""),
            descending=params.get("dir") == "desc",
        )


def _drilldown(subject, selected, rows: list[dict], filters: _Filters, choice) -> tuple[list[dict], dict]:
    """The bodies below with their figure for the selected indicator, kept and sorted; its two charts."""
    if selected is None:
        return [], {}
    kept = selectors.filter_figures(selected.children, sector=filters.sector, red_only=filters.red_only)
    fits = bool(rows) and next(r["fits"] for r in rows if r["indicator"] is selected)
    children = []
    for figure in selectors.sort_figures(kept, filters.sort, filters.descending):
        red = figure.status in selectors.RED and figure.level != Level.BASE
        link = _red_link(
            subject,
            selected.code,
            organization_code=figure.organization,
            children_are_branches=False,
            fits=fits,
            choice=choice,
        )
        children.append(
            {
                "figure": figure,
                "url": report_url(
                    "reports:dashboard", subject, code=figure.organization, query={"indicator": selected.code}
                ),
                "red_link": link if red else "",
            }
        )
    charts = {
        "trend": trend_chart(selected) if len(selected.trend) > 1 else "",
        "distribution": distribution_chart(dataclasses.replace(selected, children=tuple(kept))) if kept else "",
    }
    return children, charts


def _sort_links(subject, base_query: dict, filters: _Filters) -> dict[str, str]:
    return {
        key: report_url(
            "reports:dashboard",
            subject,
            query={**base_query, "sort": key, "dir": "desc" if filters.sort == key and not filters.descending else ""},
        )
        + "#drilldown"
        for key in selectors.SORT_KEYS
    }


def task_summary(data) -> dict:
    """The tasks of the report rolled up over the subtree: per task and in all, how many responsible
    bodies are in each status (the report's own counts, so a frozen version shows its own)."""
    if not data.tasks:
        return {}
    labels = {**dict(TaskStatus.choices), NOT_REPORTED: _("Not reported")}
    rows = [(item, [item.counts.get(status, 0) for status in COUNTED]) for item in data.tasks]
    return {
        "columns": [(status, labels[status]) for status in COUNTED],
        "rows": rows,
        "total": [sum(counts[i] for _item, counts in rows) for i in range(len(COUNTED))],
    }


def dashboard(request, code: str, program: str, period: str):
    """The scorecard of a program for an organization and period, the drill-down to its children and the charts."""
    subject = get_report_subject(request.user, code, program, period)
    if refused := only_get(request):
        return refused
    return render(
        request,
        "reports/dashboard.html",
        {
            "subject": subject,
            "organization": subject.organization,
            "program": subject.program,
            "period": subject.period,
            "trail": ancestors_in_scope(request.user, subject.organization),
            "periods": selectors.periods_for_program(subject.program),
            "body": _dashboard_body(request, subject),
        },
    )


# What the body below the header depends on besides the figures: the query's choices.
BODY_PARAMETERS = ("indicator", "sector", "status", "sort", "dir", "version", "live")


def _cache_key(kind: str, subject, stamp: str, *more) -> str:
    """A key of the dashboard's cache: the subject, the language and the day (statuses such as "on track"
    depend on it), the generations of the figures (unionportal.generations) and what else the entry
    depends on. Nothing of the user's: who may see the subject is checked before (get_report_subject)."""
    organization = subject.organization
    parts = [organization.pk, organization.path, subject.program.pk, subject.period.pk, get_language()]
    parts += [timezone.localdate().isoformat(), stamp, *more]
    return f"dashboard:{kind}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _stamp(subject) -> generations.Stamp | None:
    if not generations.enabled():
        return None
    return generations.key_for(subject.organization.path, subject.program.pk, Organization.steplen)


# How long the others serve the last copy while one request computes a dashboard (a request that died
# computing frees it after this).
COMPUTING_SECONDS = 30


def _cached(kind: str, subject, stamp: generations.Stamp | None, more: tuple, compute, *, stale: bool = True):
    """What `compute` returns, from the cache while no figure it shows has changed.

    When figures typed in the grid have moved the generations since, a copy computed less than
    settings.REPORT_STALE_SECONDS ago is served instead (its figures that many seconds behind at
    most), and while one request computes the new one the others serve the last copy: with two
    hundred officers typing, the provinces' and the country's pages would otherwise be computed
    again after nearly every cell. Never a copy from before a restructuring, a target, a task or
    an acceptance (the stamp's `settled` part is in the copy's key). `stale=False`: only what was
    computed at these very generations (what is computed from it is kept under them)."""
    if stamp is None:
        return compute()
    key = _cache_key(kind, subject, str(stamp), *more)
    stale_seconds = settings.REPORT_STALE_SECONDS if stale else 0
    latest = _cache_key(kind + ":latest", subject, stamp.settled, *more)
    found = cache.get_many([key, latest] if stale_seconds else [key])
    if key in found:
        return found[key]
    computing = latest + ":computing"
    if (pointer := found.get(latest)) is not None:
        copy_key, computed_at = pointer
        recent = time.time() - computed_at < stale_seconds
        # Not recent: the first request takes the computing (cache.add is atomic), the others serve the copy.
        if (recent or not cache.add(computing, 1, timeout=COMPUTING_SECONDS)) and (
            copy := cache.get(copy_key)
        ) is not None:
            return copy
    started = time.time()
    value = compute()
    cache.set(key, value, settings.REPORT_CACHE_SECONDS)
    if stale_seconds:
        cache.set(latest, (key, started), settings.REPORT_CACHE_SECONDS)
        cache.delete(computing)
    return value


def _dashboard_body(request, subject) -> str:
    """The scorecard, the tasks and the drill-down, from the cache while no figure they show has changed:
    the whole body for the same query, else the report's data for any query (another indicator clicked)."""
    stamp = _stamp(subject)
    more = tuple(request.GET.get(name, "") for name in BODY_PARAMETERS)
    body = _cached(
        "body",
        subject,
        stamp,
        more,
        lambda: render_to_string("reports/_dashboard_body.html", _body_context(request, subject, stamp)),
    )
    return mark_safe(body)  # noqa: S308 - our own template's output, rendered with autoescaping


def _report_data(subject, choice, stamp: generations.Stamp | None):
    """services.report_data, kept in the cache under the figures' generations."""
    version = choice.frozen.version if choice.frozen else None
    return _cached(
        "data",
        subject,
        stamp,
        (version, choice.live),
        lambda: services.report_data(
            subject.organization, subject.program, subject.period, version=version, live=choice.live
        ),
        stale=False,  # the body is computed from it and kept under these generations
    )


def _body_context(request, subject, stamp: generations.Stamp | None) -> dict:
    choice = chosen_figures(request.GET, subject)
    data, frozen = _report_data(subject, choice, stamp)
    children_are_branches = bool(data.children) and all(c["level"] == Level.BASE for c in data.children)
    rows = _scorecard_rows(subject, data, frozen, choice, children_are_branches=children_are_branches)
    # By default the first indicator the bodies below have figures for (a share of workplaces has none per branch).
    selected = selectors.indicator_of(data, request.GET.get("indicator")) or next(
        (i for i in data.indicators if any(c.actual is not None for c in i.children)),
        data.indicators[0] if data.indicators else None,
    )
    filters = _Filters.of(request.GET, children_are_branches=children_are_branches)
    children, charts = _drilldown(subject, selected, rows, filters, choice)
    base_query = {
        "indicator": selected.code if selected else "",
        "sector": filters.sector,
        "status": "red" if filters.red_only else "",
        **choice.query,
    }
    return {
        "subject": subject,
        "organization": subject.organization,
        "program": subject.program,
        "period": subject.period,
        "data": data,
        "frozen": frozen,
        "choice": choice,
        "rows": rows,
        "selected": selected,
        "children": children,
        "children_total": len(selected.children) if selected else 0,
        "children_are_branches": children_are_branches,
        "charts": charts,
        "tasks": task_summary(data),
        "tasks_url": ""
        if subject.organization.level.code == Level.BELOW_BASE
        else reverse("indicators:tasks", args=[subject.period.code, subject.organization.code]),
        "sector": filters.sector,
        "sectors": Sector.choices,
        "red_only": filters.red_only,
        "sort": filters.sort,
        "descending": filters.descending,
        "sort_links": _sort_links(subject, base_query, filters),
        "base_query": base_query,
        "latest_url": report_url("reports:dashboard", subject, query={"indicator": base_query["indicator"]}),
        "live_url": report_url("reports:dashboard", subject, query={"indicator": base_query["indicator"], "live": 1}),
        "document_url": report_url("reports:document", subject),
        "json_url": report_url("reports:json", subject, query=choice.query),
        "computed_at": timezone.localtime(),
    }


def branches(request, code: str, program: str, period: str, indicator: str):
    """Every base union below the organization with its figure for one indicator: red ones, a sector, sorted."""
    subject = get_report_subject(request.user, code, program, period)
    if refused := only_get(request):
        return refused
    model = selectors.program_indicators(subject.program).get(indicator)
    if model is None:
        raise Http404(_("The program has no such indicator."))
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    red_only = request.GET.get("status") == "red"
    sort = request.GET.get("sort", "") or "code"
    descending = request.GET.get("dir") == "desc"
    rows = selectors.branch_figures(subject.organization, model, subject.period, sector=sector)
    counts = selectors.status_counts(r.figure for r in rows)
    by_code = {r.figure.organization: r for r in rows}
    kept = selectors.filter_figures([r.figure for r in rows], red_only=red_only)
    ordered = [by_code[f.organization] for f in selectors.sort_figures(kept, sort, descending)]
    page = Paginator(ordered, BRANCHES_PER_PAGE).get_page(request.GET.get("page"))
    query = {"sector": sector, "status": "red" if red_only else "", "sort": sort, "dir": "desc" if descending else ""}
    sort_links = {
        key: report_url(
            "reports:branches",
            subject,
            indicator=model.code,
            query={**query, "sort": key, "dir": "desc" if sort == key and not descending else ""},
        )
        for key in selectors.SORT_KEYS
    }
    page_query = "&".join(f"{k}={v}" for k, v in query.items() if v)
    return render(
        request,
        "reports/branches.html",
        {
            "subject": subject,
            "organization": subject.organization,
            "program": subject.program,
            "period": subject.period,
            "trail": ancestors_in_scope(request.user, subject.organization),
            "indicator": model,
            "page": page,
            "total": len(rows),
            "shown": len(ordered),
            "counts": counts,
            "sector": sector,
            "sectors": Sector.choices,
            "red_only": red_only,
            "sort": sort,
            "descending": descending,
            "sort_links": sort_links,
            "query_string": page_query,
            "dashboard_url": report_url("reports:dashboard", subject, query={"indicator": model.code}),
            "all_url": report_url("reports:branches", subject, indicator=model.code, query={"sector": sector}),
            "red_url": report_url(
                "reports:branches", subject, indicator=model.code, query={"sector": sector, "status": "red"}
            ),
        },
    )
