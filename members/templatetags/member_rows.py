"""The rows of the member list, written in Python: fifty rows of nine cells cost some 8 ms through the
template language (a dozen variable lookups a row), a tenth of that here. The markup is the one the
list's loop wrote before, character for character (tests/members/test_member_rows.py renders both)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from unionportal.templatetags.links import url_for
from unionportal.templatetags.vn import dmy

register = template.Library()

BADGES = {
    "active": "bg-success-subtle text-success-emphasis",
    "transferred": "bg-info-subtle text-info-emphasis",
}
OTHER_BADGE = "bg-secondary-subtle text-secondary-emphasis"


def _row(m, *, under_is_branch: bool, show_status: bool) -> str:
    e = conditional_escape
    role = e(m.get_role_display())
    cells = [
        "\n        <tr" + ("" if m.status == "active" else ' class="inactive-row"') + ">",
        f'\n          <td><a href="{e(url_for(m.card_number, "members:detail"))}">{e(m.full_name)}</a></td>',
        f'\n          <td class="code">{e(m.card_number)}</td>',
        f'\n          <td class="small">{e(m.get_gender_display())}</td>',
        f'\n          <td class="num small">{m.date_of_birth.year if m.date_of_birth else "–"}</td>',
        "\n          " + ("" if under_is_branch else f'<td class="small">{e(m.branch.display_name)}</td>'),
        '\n          <td class="small">'
        + (f'<span class="fw-semibold">{role}</span>' if m.role != "member" else role)
        + "</td>",
        f'\n          <td class="small">{dmy(m.joined_on)}</td>',
        f'\n          <td class="small">{dmy(m.last_trained_on) or "–"}</td>',
        "\n          ",
    ]
    if show_status:
        changed = f" {dmy(m.status_changed_on)}" if m.status_changed_on else ""
        cells.append(
            f'<td><span class="badge {BADGES.get(m.status, OTHER_BADGE)}">{e(m.get_status_display())}{changed}</span></td>'
        )
    cells.append("\n        </tr>\n      ")
    return "".join(cells)


@register.simple_tag
def member_rows(members, under_is_branch: bool, show_status: bool) -> str:
    """What `{% for m in members %}` wrote, row by row, without its `{% empty %}` (the template keeps it)."""
    rows = "".join(_row(m, under_is_branch=under_is_branch, show_status=show_status) for m in members)
    return mark_safe(rows)  # noqa: S308 - every value above is escaped or written by the portal
