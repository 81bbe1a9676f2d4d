"""The member list's filters (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from organizations.filters import TextSearchMixin

from .models import BranchRole, Gender, Member, MemberStatus
from .models.member import EXECUTIVE_COMMITTEE_ROLES

COMMITTEE = "committee"
ROLE_CHOICES = [
    (COMMITTEE, _("Executive committee (chair, vice-chairs, members)")),
    *BranchRole.choices,
]


class MemberFilter(TextSearchMixin, django_filters.FilterSet):
    text_fields = ("full_name", "card_number")
    q = django_filters.CharFilter(label=_("Search by name or card number"), method="filter_text")
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices, empty_label=_("All"))
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=ROLE_CHOICES, empty_label=_("All roles"), method="filter_role"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MemberStatus.choices, empty_label=_("All"))
    trained = django_filters.ChoiceFilter(
        label=_("Training"),
        choices=[("yes", _("Trained")), ("no", _("Not trained"))],
        empty_label=_("All"),
        method="filter_trained",
    )

    class Meta:
        model = Member
        fields = ["q", "gender", "role", "status", "trained"]

    def filter_role(self, queryset, name, value):
        if value == COMMITTEE:
            return queryset.filter(role__in=EXECUTIVE_COMMITTEE_ROLES)
        return queryset.filter(role=value)

    def filter_trained(self, queryset, name, value):
        if value == "yes":
            return queryset.trained()
        if value == "no":
            return queryset.exclude(last_trained_on__isnull=False)
        return queryset


class TrainingCandidateFilter(MemberFilter):
    """The same filters to pick who attended a training, among active members only."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters.pop("status")
