"""List filters (django-filter) for branches and workplaces."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import ENTERPRISE_KINDS, Level, Organization, OrganizationStatus, Sector, Workplace, WorkplaceKind

ACTIVE, INACTIVE = "active", "inactive"
ENTERPRISES = "enterprises"


class TextSearchMixin:
    """`q` searches these fields, case-insensitively."""

    text_fields: tuple[str, ...] = ("name", "code")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.text_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class BranchFilter(TextSearchMixin, django_filters.FilterSet):
    text_fields = ("name", "code", "short_name")
    q = django_filters.CharFilter(label=_("Search by name or code"), method="filter_text")
    level = django_filters.ModelChoiceFilter(
        label=_("Level"), queryset=Level.objects.all(), to_field_name="code", empty_label=_("All levels")
    )
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices, empty_label=_("All sectors"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (ACTIVE, _("Active")),
            (INACTIVE, _("Dissolved, merged or split")),
        ],
        empty_label=_("All"),
        method="filter_status",
    )

    class Meta:
        model = Organization
        fields = ["q", "level", "sector", "status"]

    def filter_status(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.filter(status=OrganizationStatus.ACTIVE)
        if value == INACTIVE:
            return queryset.exclude(status=OrganizationStatus.ACTIVE)
        return queryset


class WorkplaceFilter(TextSearchMixin, django_filters.FilterSet):
    text_fields = ("name", "code", "tax_code")
    q = django_filters.CharFilter(label=_("Search by name or code"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=[(ENTERPRISES, _("Enterprises and cooperatives")), *WorkplaceKind.choices],
        empty_label=_("All types"),
        method="filter_kind",
    )
    unionized = django_filters.ChoiceFilter(
        label=_("Union"),
        choices=[("yes", _("With a base union")), ("no", _("No base union yet"))],
        empty_label=_("All"),
        method="filter_unionized",
    )
    min_workers = django_filters.NumberFilter(
        label=_("At least N workers"), field_name="worker_count", lookup_expr="gte", min_value=0
    )

    class Meta:
        model = Workplace
        fields = ["q", "kind", "unionized", "min_workers"]

    def filter_kind(self, queryset, name, value):
        if value == ENTERPRISES:
            return queryset.filter(kind__in=ENTERPRISE_KINDS)
        return queryset.filter(kind=value)

    def filter_unionized(self, queryset, name, value):
        if value == "yes":
            return queryset.unionized()
        if value == "no":
            return queryset.without_union()
        return queryset
