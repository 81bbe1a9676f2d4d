"""Vietnamese formats: 2.358 members, 53,98 %, dates dd/mm/yyyy, and years never grouped."""

import datetime
from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.utils import formats, translation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_numbers_are_grouped_with_dots_and_decimals_use_a_comma():
    with translation.override("vi"):
        assert formats.localize(2358) == "2.358"
        assert formats.localize(Decimal("53.98")) == "53,98"
        assert formats.localize(80000) == "80.000"
        assert render("{{ n }}", n=1273) == "1.273"


def test_dates_show_as_day_month_year():
    with translation.override("vi"):
        assert render("{{ d }}", d=datetime.date(2021, 1, 5)) == "05/01/2021"
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=datetime.date(2021, 1, 5)) == "05/01/2021"


def test_dates_are_accepted_as_day_month_year_not_us_style():
    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = DateForm({"day": "05/01/2021"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2021, 1, 5)
        assert not DateForm({"day": "31/02/2024"}).is_valid()


def test_years_and_codes_are_never_grouped():
    with translation.override("vi"):
        assert render("{{ y|year }}", y=2021) == "2021"
        assert render("{{ code }}", code="2021") == "2021"


def test_the_vn_filters_write_counts_and_shares_the_vietnamese_way():
    with translation.override("vi"):
        assert render("{{ n|num }}", n=2358) == "2.358"
        assert render("{{ p|pct }}", p=Decimal("53.98")) == "53,98 %"
        # 53,986… rounded half up, as an official writes it (the seed's "53,98 %" cut it).
        assert render("{{ a|share:b }}", a=1273, b=2358) == "53,99 %"
        assert render("{{ a|share:b }}", a=15, b=27) == "55,56 %"
        assert render("{{ p|pct }}", p=Decimal("55.555")) == "55,56 %"
        assert render("{{ a|share:b }}", a=1, b=0) == "–"
