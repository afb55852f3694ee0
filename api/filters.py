"""Filters of the open data API: the catalog's own FilterSet, so the parameters
(domain, subject, grade, format, where, free, max_price, week, weekday, q, ...) mean
exactly the same here as in the catalog, and a catalog link turns into an API call."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from associations.models import Association, Domain, Offer
from bookings.models import Occasion
from catalog.filters import OfferFilter as CatalogOfferFilter


def _subject_filter(catalog_filter):
    """The catalog's own subject filter (slugs), described as a string for the schema:
    the schema generator cannot follow it from the Occasion model."""
    documented = extend_schema_field({"type": "string"})(
        type("SubjectFilter", (type(catalog_filter),), {})
    )
    return documented(
        label=catalog_filter.label, field_name=catalog_filter.field_name, **catalog_filter.extra
    )


class OfferFilter(CatalogOfferFilter):
    subject = _subject_filter(CatalogOfferFilter.base_filters["subject"])

    class Meta:
        model = Offer
        fields: list[str] = []


class OccasionFilter(CatalogOfferFilter):
    """The catalog's offer filters, applied to the occasion's offer; sorted by date."""

    subject = _subject_filter(CatalogOfferFilter.base_filters["subject"])

    class Meta:
        model = Occasion
        fields: list[str] = []

    def filter_queryset(self, queryset):
        offers = super().filter_queryset(Offer.objects.all())
        return queryset.filter(offer__in=offers.values("pk"))

    def sort_queryset(self, queryset):
        return queryset.order_by("starts_at", "pk")


class AssociationFilter(django_filters.FilterSet):
    domain = django_filters.ChoiceFilter(
        choices=Domain.choices, method="filter_domain", label=_("Domain")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Search text"), max_length=100)

    class Meta:
        model = Association
        fields = ["domain", "q"]

    def filter_domain(self, queryset, name, value):
        # Domains are a JSON list; match the quoted value so "sport" never matches "sports".
        return queryset.filter(domains__icontains=f'"{value}"')

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
