"""Links to one object per row of a list, without a full reverse() per row.

`{{ org.code|url_for:"organizations:detail" }}` writes what `{% url "organizations:detail" org.code %}`
writes. The URL of a view that takes one string is the same around its argument for every row:
it is reversed once (with a stand-in argument) and the row's value, quoted as reverse() quotes it,
is put in its place. A value that reverse() could refuse (empty, or with a slash, which `<str:…>`
never matches) goes through reverse() itself.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

register = template.Library()

_STAND_IN = "zq0standin0qz"
_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


@lru_cache(maxsize=128)
def _around(viewname: str, prefix: str, urlconf) -> tuple[str, str]:
    before, after = reverse(viewname, urlconf, args=[_STAND_IN]).split(_STAND_IN)
    return before, after


@register.filter
def url_for(value, viewname: str) -> str:
    text = str(value)
    if not text or "/" in text:
        return reverse(viewname, args=[value])
    before, after = _around(viewname, get_script_prefix(), get_urlconf())
    return f"{before}{quote(text, safe=_SAFE)}{after}"


@lru_cache(maxsize=128)
def _fixed(viewname: str, prefix: str, urlconf) -> str:
    return reverse(viewname, urlconf)


@register.simple_tag
def fixed_url(viewname: str) -> str:
    """`{% url "members:list" %}` for a URL without arguments (the layout's menu: fifteen of them a
    page), reversed once per process."""
    return _fixed(viewname, get_script_prefix(), get_urlconf())
