"""The catalog's filters (django-filter). Reused by the open data API, so no request needed:
pass ``origin=(lat, lon)`` for the distance filter and nearest-first sorting (otherwise the
``postal_code`` parameter gives the origin)."""

import copy

import django_filters as filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from associations.models import Domain, Location, OfferFormat, PriceModel, Subject
from portal import plans

from . import services
from .search import search_offers

WHERE_CHOICES = [("school", _("At the school")), ("out", _("Out of school"))]
#: Labels with a context of their own ("weekday"): an app's translation of a plain "Monday"
#: is also the one Django writes dates with ("l"), where a label's capital is wrong in Danish.
WEEKDAY_CHOICES = [
    ("1", pgettext_lazy("weekday", "Monday")),
    ("2", pgettext_lazy("weekday", "Tuesday")),
    ("3", pgettext_lazy("weekday", "Wednesday")),
    ("4", pgettext_lazy("weekday", "Thursday")),
    ("5", pgettext_lazy("weekday", "Friday")),
]
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest")),
    ("nearest", _("Nearest")),
]
#: The filtersets' form classes (``OfferFilter.get_form_class``).
_FORM_CLASSES: dict[type, type] = {}
#: Filters shown as option lists with counts (facets).
FACETS = ("domain", "format", "where", "free")


def where_q(value: str) -> Q:
    if value == "school":
        return Q(location=Location.AT_SCHOOL)
    if value == "out":
        return ~Q(location=Location.AT_SCHOOL)
    return Q()


def week_q(week: int) -> Q:
    """The offer's season (from week..to week, may wrap over New Year) contains ``week``."""
    plain = Q(season_start_week__lte=F("season_end_week")) & Q(
        season_start_week__lte=week, season_end_week__gte=week
    )
    wrapping = Q(season_start_week__gt=F("season_end_week")) & (
        Q(season_start_week__lte=week) | Q(season_end_week__gte=week)
    )
    return plain | wrapping


class RelatedBySlugFilter(filters.ModelMultipleChoiceFilter):
    """Choose related objects by slug in the URL (?subject=idraet), filter by the object.

    django-filter would filter ``subjects=<slug>`` when ``to_field_name`` is set; keeping
    ``field_name`` a plain relation also lets drf-spectacular document it as a string."""

    def get_filter_predicate(self, v):
        return {self.field_name: v}


class _Filters(dict):
    """A filterset's filters (``OfferFilter.get_filters``). django-filter deep-copies them
    for every filterset (``copy.deepcopy(base_filters)``): ≈ 90 Python calls a filter, 13
    filters, in every catalog search, embed and API call. A filterset needs filters of its
    own only to set their ``model`` and ``parent`` on them; their settings (label, widget,
    choices, queryset) stay as declared, so a shallow copy of each does."""

    def __deepcopy__(self, memo):
        return {name: _own_copy(filter_) for name, filter_ in self.items()}


def _own_copy(filter_):
    own = copy.copy(filter_)
    own.extra = dict(filter_.extra)  # a field built from it may add the queryset
    own.__dict__.pop("_field", None)  # a form field built on the declared filter (the schema)
    if filter_.method is not None:
        # Set again: a ``method`` filter calls the method of its own filter's parent.
        own.method = filter_.method
    return own


class OfferFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_q")
    # distinct=False: a column of the offer itself cannot repeat a row (django-filter's
    # default SELECT DISTINCT would sort every wide row of the result to remove none).
    domain = filters.MultipleChoiceFilter(
        label=_("Domain"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    subject = RelatedBySlugFilter(
        label=_("School subject"),
        field_name="subjects",
        to_field_name="slug",
        queryset=Subject.objects.all(),
        widget=forms.CheckboxSelectMultiple,  # one box (and id for its label) per subject
    )
    grade = filters.NumberFilter(
        label=_("Grade"),
        method="filter_grade",
        widget=forms.NumberInput(attrs={"min": 0, "max": 10}),
    )
    format = filters.MultipleChoiceFilter(
        label=_("Format"),
        choices=OfferFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    where = filters.ChoiceFilter(
        label=_("Where"),
        choices=WHERE_CHOICES,
        method="filter_where",
        empty_label=_("Anywhere"),
        widget=forms.RadioSelect,
    )
    free = filters.BooleanFilter(
        label=_("Free only"), method="filter_free", widget=forms.CheckboxInput
    )
    max_price = filters.NumberFilter(
        label=_("Maximum price per class (DKK)"),
        help_text=_("Materials, paid per pupil, count as a class of 22 pupils."),
        method="filter_max_price",
        widget=forms.NumberInput(attrs={"min": 0, "step": 50}),
    )
    week = filters.NumberFilter(
        label=_("Week of the school year"),
        method="filter_week",
        widget=forms.NumberInput(attrs={"min": 1, "max": 53}),
    )
    weekday = filters.ChoiceFilter(
        label=_("Weekday"), choices=WEEKDAY_CHOICES, method="filter_weekday", empty_label=_("Any")
    )
    postal_code = filters.CharFilter(
        label=_("From postal code"),
        method="filter_noop",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}"}),
    )
    distance = filters.NumberFilter(
        label=_("Within (km)"),
        method="filter_distance",
        widget=forms.NumberInput(attrs={"min": 1, "max": 200}),
    )
    sort = filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_noop", empty_label=None
    )

    def __init__(self, data=None, queryset=None, *, origin=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.origin = origin
        self._postal_origin_done = False
        #: Why a distance asked for was not applied (shown next to the field), or "".
        self.distance_notice = ""
        #: The queryset with every filter but the facets (``FACETS``), which ``facet_counts``
        #: groups; set when ``qs`` is built.
        self.facet_base: QuerySet | None = None

    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())

    def get_form_class(self):
        """django-filter's form class, built once per process for each filterset class
        (django-filter builds a class and a field per filter for every instance; these
        fields depend on nothing of the instance). Each form still copies its fields."""
        cls = type(self)
        if cls not in _FORM_CLASSES:
            _FORM_CLASSES[cls] = super().get_form_class()
        return _FORM_CLASSES[cls]

    # The origin for distances: given (the user's school), else the postal code.
    def get_origin(self) -> tuple[float, float] | None:
        if self.origin is None and not self._postal_origin_done:
            self._postal_origin_done = True
            code = (self.data or {}).get("postal_code", "")
            self.origin = services.origin_for_postal_code(code.strip())
        return self.origin

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return search_offers(queryset, value)

    def filter_grade(self, queryset, name, value):
        return queryset.filter(grade_min__lte=value, grade_max__gte=value)

    def filter_where(self, queryset, name, value):
        return queryset.filter(where_q(value))

    def filter_free(self, queryset, name, value):
        return queryset.filter(price_model=PriceModel.FREE) if value else queryset

    def filter_max_price(self, queryset, name, value):
        if "class_price" not in queryset.query.annotations:
            queryset = queryset.annotate(class_price=services.price_for_one_class())
        return queryset.filter(class_price__lte=value)

    def filter_week(self, queryset, name, value):
        week = int(value)
        if not 1 <= week <= 53:
            return queryset.none()
        return queryset.filter(week_q(week))

    def filter_weekday(self, queryset, name, value):
        return queryset.filter(weekdays__contains=value)

    def filter_distance(self, queryset, name, value):
        origin = self.get_origin()
        if origin is None:
            code = (self.data or {}).get("postal_code", "").strip()
            self.distance_notice = (
                _("The postal code %(code)s is not known here: the distance is not used.")
                % {"code": code}
                if code
                else _("Give a postal code to search by distance.")
            )
            return queryset
        return queryset.annotate(distance=services.distance_km(origin)).filter(distance__lte=value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The filters as django-filter applies them, the facets last: what the others leave
        is kept as ``facet_base`` for ``facet_counts`` (which would otherwise build those
        filters, the search among them, a second time)."""
        data = self.form.cleaned_data
        for name, value in data.items():
            if name not in FACETS:
                queryset = self.filters[name].filter(queryset, value)
        self.facet_base = queryset
        for name in FACETS:
            if name in data:
                queryset = self.filters[name].filter(queryset, data[name])
        return queryset

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_sorted_qs"):
            self._sorted_qs = self.sort_queryset(super().qs)
        return self._sorted_qs

    def searches_words(self) -> bool:
        """Whether the filters include a text search (``q``), whose best plan depends on the
        words (``portal.plans``)."""
        return plans.searches_words(self.form.cleaned_data) if self.is_valid() else False

    def sort_value(self) -> str:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        sort = data.get("sort") or ""
        if not sort:
            sort = "relevance" if data.get("q") else "newest"
        return sort

    def sort_queryset(self, queryset: QuerySet) -> QuerySet:
        sort = self.sort_value()
        origin = self.get_origin()
        if origin is not None and "distance" not in queryset.query.annotations:
            queryset = queryset.annotate(distance=services.distance_km(origin))
        if sort == "nearest" and origin is not None:
            return queryset.order_by(F("distance").asc(nulls_last=True), "title", "pk")
        if sort == "relevance" and "relevance" in queryset.query.annotations:
            return queryset.order_by("-relevance", "-approved_at", "pk")
        return queryset.order_by(F("approved_at").desc(nulls_last=True), "title", "pk")


def facet_counts(filterset: OfferFilter) -> dict:
    """How many offers each facet option would leave, and under ``"total"`` how many all the
    filters leave. An invalid filterset has no counts (``{}``).

    Each facet's counts apply all the other filters (including the other facets), but
    not its own, so a ticked option's siblings show what choosing them would add. The
    filterset's own queryset without the facets is reused (``OfferFilter.facet_base``: no
    second form to validate, no filter built twice).

    One query counts the offers that the non-facet filters leave, grouped by the four
    columns the facets look at (a few hundred groups at most); every facet count is a sum
    of groups, added up here. (One aggregate with a filtered count per option did the
    same in the database, but building its 25 expressions cost more than the query.)
    The catalog's list asks ``results`` instead, which counts from the same rows it pages.
    """
    if not filterset.is_valid():
        return {}
    with plans.planned_for_values(filterset.searches_words()):
        filterset.qs  # noqa: B018 - builds facet_base
        base = filterset.facet_base
        # Only a filter through a many-to-many relation (subjects) can repeat an offer; an
        # offer is in exactly one group, so counting distinct ids per group stays exact.
        groups = (
            base.order_by()
            .values_list(*FACET_COLUMNS)
            .annotate(n=Count("pk", distinct=base.query.distinct))
        )
        tally = _Tally(filterset.form.cleaned_data)
        for *columns, n in groups:
            tally.add(columns, n)
    return tally.counts


#: The offer's columns the facets look at (``_Tally.add``).
FACET_COLUMNS = ("domain", "format", "location", "price_model")


class _Tally:
    """The facet counts (``counts``) of offers added by their ``FACET_COLUMNS``."""

    def __init__(self, data: dict):
        self.chosen = {
            "domain": set(data.get("domain") or ()),
            "format": set(data.get("format") or ()),
            "where": {data["where"]} if data.get("where") else set(),
            "free": {"true"} if data.get("free") else set(),
        }
        self.counts: dict = {
            "domain": dict.fromkeys(Domain.values, 0),
            "format": dict.fromkeys(OfferFormat.values, 0),
            "where": dict.fromkeys((v for v, _label in WHERE_CHOICES), 0),
            "free": {"true": 0},
            "total": 0,
        }

    def add(self, columns, n: int = 1) -> bool:
        """Count ``n`` offers with these column values; True when every facet lets them
        through (they are in the filtered result)."""
        domain, format_, location, price_model = columns
        values = {
            "domain": domain,
            "format": format_,
            "where": "school" if location == Location.AT_SCHOOL else "out",
            "free": "true" if price_model == PriceModel.FREE else "false",
        }
        chosen, counts = self.chosen, self.counts
        failed = [f for f in FACETS if chosen[f] and values[f] not in chosen[f]]
        if not failed:
            counts["total"] += n
        for facet in FACETS:
            # Counted under its own value when every other facet lets it through.
            if (not failed or failed == [facet]) and values[facet] in counts[facet]:
                counts[facet][values[facet]] += n
        return not failed


def results(filterset: OfferFilter, number, size: int, *, facets: bool = True):
    """The requested page (``number`` as ``Paginator.get_page`` takes it) of the filtered
    offers, as ``filterset.qs`` would give it, and with ``facets`` the ``facet_counts``.

    One query walks the municipality's offers: the ids of what the filters leave, in the
    list's order, (with ``facets``) with the facet columns of what all but the facets
    leave, which are counted here. The page's offers are then read by id
    (``services.offer_cards``: ``filterset`` filters ``catalog_offers``). (Counting and
    paging each with its own query walked the municipality's offers twice.)"""
    with plans.planned_for_values(filterset.searches_words()):
        if facets and filterset.is_valid():
            filterset.qs  # noqa: B018 - builds facet_base
            rows = _ordered_rows(filterset.sort_queryset(filterset.facet_base), *FACET_COLUMNS)
            tally = _Tally(filterset.form.cleaned_data)
            ids = [pk for pk, *columns in rows if tally.add(columns[: len(FACET_COLUMNS)])]
            counts = tally.counts
        else:
            ids = [pk for pk, *_keys in _ordered_rows(filterset.qs)]
            counts = {}
    page = Paginator(ids, size).get_page(number)
    if page.object_list:
        # With the distance when there is an origin, as sort_queryset annotates the list.
        page.object_list = services.offer_cards(page.object_list, filterset.get_origin())
    return page, counts


def _ordered_rows(queryset: QuerySet, *columns: str):
    """``queryset``'s ids and ``columns`` in its order, followed by the computed values it is
    ordered by: a ``SELECT DISTINCT`` (after a filter through subjects) must select them."""
    keys = [name for name in ("relevance", "distance") if name in queryset.query.annotations]
    return queryset.values_list("pk", *columns, *keys)
