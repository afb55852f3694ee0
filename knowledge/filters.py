"""The knowledge bank's filters (django-filter, as the catalog's) and its search: the
catalog's machinery (``catalog.search``) with the knowledge bank's ``SearchSpec``."""

import django_filters as filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from associations.models import Domain
from catalog.search import SearchSpec, needs_typo_tolerance, search

from .models import Audience, Kind

#: Title, summary and text are in the stored document (a trigger, migration 0002); typos in
#: a title still find it.
KNOWLEDGE = SearchSpec(fields=("title", "summary", "body"), similar=(("title", 0.5),))

AUDIENCE_CHOICES = [
    (Audience.SCHOOLS, _("For schools")),
    (Audience.ASSOCIATIONS, _("For associations")),
]


class ItemFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_q")
    kind = filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    category = filters.MultipleChoiceFilter(
        label=_("Category"),
        choices=[],
        field_name="category__slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    audience = filters.ChoiceFilter(
        label=_("For"),
        choices=AUDIENCE_CHOICES,
        method="filter_audience",
        empty_label=_("Everyone"),
        widget=forms.RadioSelect,
    )
    domain = filters.MultipleChoiceFilter(
        label=_("Domain"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    grade = filters.NumberFilter(
        label=_("Grade"),
        method="filter_grade",
        widget=forms.NumberInput(attrs={"min": 0, "max": 10}),
    )

    def __init__(self, data=None, queryset=None, *, categories=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["category"].extra["choices"] = [(c.slug, c.name) for c in categories]
        self._typos: dict[str, bool] = {}

    def filter_q(self, queryset, name, value):
        if value not in self._typos:
            self._typos[value] = needs_typo_tolerance(queryset, value)
        return search(queryset, value, KNOWLEDGE, typos=self._typos[value])

    def filter_audience(self, queryset, name, value):
        return queryset.filter(audience__in=[value, Audience.BOTH])

    def filter_grade(self, queryset, name, value):
        if not 0 <= value <= 10:
            return queryset.none()
        # Material for every grade (no grades given) fits each grade.
        return queryset.filter(
            Q(grade_min__isnull=True, grade_max__isnull=True)
            | Q(grade_min__lte=value, grade_max__gte=value)
        )

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_sorted_qs"):
            qs = super().qs
            if "relevance" in qs.query.annotations:
                qs = qs.order_by("-relevance", F("approved_at").desc(nulls_last=True), "pk")
            else:
                qs = qs.order_by(F("approved_at").desc(nulls_last=True), "pk")
            self._sorted_qs = qs
        return self._sorted_qs
