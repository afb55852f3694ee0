import functools
import re
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_cookie

from associations.models import Association, Offer
from geo.models import MapArea
from municipalities.models import Municipality
from portal import framing, pagecache, plans
from portal.forms import is_digits
from portal.pagecache import cache_anonymous_page
from portal.redirects import local_url
from schools.models import School

from . import cards, maps, periods, permissions, services
from .filters import OfferFilter, facet_counts, results
from .models import Favourite

PAGE_SIZE = 24
EMBED_PAGE_SIZE = 12
SIDE_LIST_SIZE = 6


def _municipality(request):
    municipalities = services.municipality_list()
    return municipalities, services.current_municipality(request, municipalities)


def _filtered(request, municipality, origin):
    data = request.GET.copy()
    data.pop("page", None)
    data.pop("municipality", None)
    filterset = OfferFilter(data, services.catalog_offers(municipality), origin=origin)
    return data, filterset


def _remember_choice(request, response) -> None:
    """Runs on every answer, also from the page cache: remember ?municipality= in a cookie."""
    if (
        "municipality" in request.GET
        and response.status_code == 200
        and not request.user.is_authenticated  # the view remembers it in the session then
    ):
        slug = request.GET["municipality"]
        # No query here (this runs on cache hits too): unknown slugs are ignored when read.
        if re.fullmatch(r"[-a-z0-9_]{1,50}", slug):
            response.set_cookie(
                services.COOKIE_NAME,
                slug,
                max_age=services.COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
            )


# Anonymous pages are served from the page cache (portal.pagecache), keyed by URL, language,
# the remembered municipality and the generations of what they show: a catalog its chosen
# municipality's (by slug, as the visitor names it), an offer's or association's page its own.
def _chosen_slug(request) -> str:
    return request.GET.get("municipality") or request.COOKIES.get(services.COOKIE_NAME) or ""


def _catalog_names(request, *_args, **_kwargs):
    return [pagecache.name(Municipality, _chosen_slug(request) or "any")]


def _shows_the_chosen(request, response, municipality):
    """A catalog of another municipality than the one its URL or cookie names (an unknown
    slug) must not be stored under that name."""
    chosen = _chosen_slug(request)
    if chosen and getattr(municipality, "slug", None) != chosen:
        patch_cache_control(response, no_store=True)
    return response


def _page_names(model):
    return lambda _request, slug, **_kwargs: [pagecache.name(model, slug)]


def cached_page(names):
    return cache_anonymous_page(names, vary_cookies=(services.COOKIE_NAME,), after=_remember_choice)


def _page_query(request) -> str:
    """The current query without ``page``, for pagination links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _has_no_offers(page, municipality) -> bool:
    """An empty page of a municipality that has no offers at all (not one the filters left
    out): the catalog says so instead of asking to remove a filter. Asked only when empty."""
    return not page.object_list and not services.catalog_offers(municipality).exists()


def _school_and_origin(request):
    """The school staff member's school (else None), its position, and the origin of the
    distances: a postal code in the form wins over the school's position."""
    school = services.school_of(request.user) if permissions.can_favourite(request.user) else None
    school_origin = services.origin_for_school(school)
    return school, school_origin, None if request.GET.get("postal_code") else school_origin


@require_safe
@vary_on_cookie
@cached_page(_catalog_names)
def offer_list(request: HttpRequest) -> HttpResponse:
    municipalities, municipality = _municipality(request)
    staff = permissions.can_favourite(request.user)
    school, school_origin, origin = _school_and_origin(request)
    data, filterset = _filtered(request, municipality, origin)
    page, counts = results(filterset, request.GET.get("page"), PAGE_SIZE)
    has_origin = filterset.get_origin() is not None
    cards.render(page.object_list, cards.catalog_card, has_origin=has_origin)
    context = {
        "municipalities": municipalities,
        "municipality": municipality,
        "filter": filterset,
        "subject_choices": services.subject_choices(),
        "page_obj": page,
        "offers": page.object_list,
        "counts": counts,
        "page_query": _page_query(request),
        "has_origin": has_origin,
        "can_favourite": staff,
        "can_embed": permissions.can_make_embed_snippet(request.user),
        "calendar_url": _with_query(reverse("catalog:offer_calendar"), _filter_query(request)),
        "map_url": _with_query(reverse("catalog:offer_map"), _filter_query(request)),
    }
    if staff:
        since = services.record_visit(request.user)
        base = services.catalog_offers(municipality)
        context["favourite_ids"] = services.favourite_ids(request.user)
        context["new_offers"] = (
            list(base.filter(approved_at__gt=since).order_by("-approved_at")[:SIDE_LIST_SIZE])
            if since
            else []
        )
        context["since"] = since
        context["near_offers"] = (
            list(
                base.annotate(distance=services.distance_km(school_origin))
                .filter(distance__isnull=False)
                .order_by("distance", "title")[:SIDE_LIST_SIZE]
            )
            if school_origin
            else []
        )
        context["school"] = school
    context["has_no_offers"] = _has_no_offers(page, municipality)
    response = render(request, "catalog/offer_list.html", context)
    if "municipality" in request.GET and request.user.is_authenticated:
        services.remember_municipality(request, response, municipality)
    return _shows_the_chosen(request, response, municipality)


# The calendar ----------------------------------------------------------------------------

#: The most dates one calendar page lists; narrower filters show the rest.
CALENDAR_LIMIT = 300
#: Not filters: the page of the list, the calendar's period.
NOT_FILTERS = ("page", "month", "week_of")


def _filter_query(request) -> list[tuple[str, str]]:
    """The query's filters (and municipality), without the page or the calendar's period."""
    return [
        (key, value)
        for key, values in request.GET.lists()
        if key not in NOT_FILTERS
        for value in values
    ]


def _with_query(path: str, pairs) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _calendar_links(request, period: periods.Period) -> dict:
    """The calendar's links, each keeping the filters: the periods before and after, the
    current month and week, the other span and the list."""
    here, filters = reverse("catalog:offer_calendar"), _filter_query(request)
    today = timezone.localdate()
    this_week = today - timedelta(days=today.weekday())
    # The week view starts at this week in the current month, else at the month's first day.
    week_start = this_week if period.first <= today <= period.last else period.first

    def url(*pairs):
        return _with_query(here, [*filters, *pairs])

    return {
        "previous_url": url(period.link(period.previous)) if period.previous else "",
        "next_url": url(period.link(period.next)) if period.next else "",
        "month_url": url(("month", f"{period.first:%Y-%m}")),
        "week_url": url(("week_of", week_start.isoformat())),
        "current_url": url(
            ("week_of", this_week.isoformat())
            if period.span == periods.WEEK
            else ("month", f"{today:%Y-%m}")
        ),
        "list_url": _with_query(reverse("catalog:offer_list"), filters),
        "keep": [period.link(period.first)],
    }


@require_safe
@vary_on_cookie
@cached_page(_catalog_names)
def offer_calendar(request: HttpRequest) -> HttpResponse:
    """The upcoming dates of the filtered catalog, month by month or week by week: a grid of
    the days (links to the days with dates) and a list of each day's dates. Plain links and
    a GET form: no script needed."""
    municipalities, municipality = _municipality(request)
    _school, _school_origin, origin = _school_and_origin(request)
    _data, filterset = _filtered(request, municipality, origin)
    period_form = periods.CalendarForm(request.GET)
    period = periods.period_for(period_form)
    with plans.planned_for_values(filterset.searches_words()):
        occasions = services.calendar_occasions(
            filterset.qs, period.first, period.last, CALENDAR_LIMIT + 1
        )
    weeks, with_dates = periods.days_of(period, occasions[:CALENDAR_LIMIT])
    context = {
        "municipalities": municipalities,
        "municipality": municipality,
        "filter": filterset,
        "subject_choices": services.subject_choices(),
        "period_form": period_form,
        "period": period,
        "weeks": weeks,
        "with_dates": with_dates,
        "too_many": len(occasions) > CALENDAR_LIMIT,
        "limit": CALENDAR_LIMIT,
        "weekdays": [(WEEKDAYS[n], WEEKDAYS_ABBR[n]) for n in range(7)],
        "has_origin": filterset.get_origin() is not None,
        **_calendar_links(request, period),
    }
    response = render(request, "catalog/offer_calendar.html", context)
    return _shows_the_chosen(request, response, municipality)


# The map -------------------------------------------------------------------------------

#: Not filters of the offers: the map's own (the consultant's area filter).
MAP_ONLY = ("area", "near")


@require_safe
@vary_on_cookie
def offer_map(request: HttpRequest) -> HttpResponse:
    """The filtered catalog as a map (``maps.py``): the same filters and offers as the list,
    grouped by association and place, with the municipality's schools and the areas the
    visitor may see; a consultant of the municipality may keep what lies in or near an area.
    Under the map, the same results as a list: the page without JavaScript or tiles.

    Not in the anonymous page cache: it shows schools and areas too, whose changes the
    catalog's generations do not follow."""
    municipalities, municipality = _municipality(request)
    _school, _school_origin, origin = _school_and_origin(request)
    _data, filterset = _filtered(request, municipality, origin)
    counts = facet_counts(filterset)
    areas = list(MapArea.objects.visible_to(request.user, municipality))
    is_consultant = bool(
        municipality is not None
        and request.user.is_authenticated
        and (request.user.is_superuser or request.user.consultant_municipality == municipality)
    )
    area_form = maps.AreaFilterForm(request.GET or None, areas=areas) if is_consultant else None
    area, near_km = area_form.chosen() if area_form is not None else (None, 0.0)
    schools = (
        School.objects.for_municipality(municipality)
        .filter(is_active=True)
        .only("name", "address", "postal_code", "town", "latitude", "longitude")
        .order_by("name", "pk")
    )
    # The map reads other columns of each offer and association (positions, addresses)
    # than the list's (services.LIST_COLUMNS), and no photos.
    offers = filterset.qs.prefetch_related(None).only(*maps.MAP_COLUMNS)
    offers = offers[: maps.MAP_LIMIT + 1]
    with plans.planned_for_values(filterset.searches_words()):
        content = maps.build(offers, schools, areas, area=area, near_km=near_km)
    filters = [(k, v) for k, v in _filter_query(request) if k not in MAP_ONLY]
    context = {
        "municipalities": municipalities,
        "municipality": municipality,
        "filter": filterset,
        "subject_choices": services.subject_choices(),
        "counts": counts,
        "has_origin": filterset.get_origin() is not None,
        "content": content,
        "map_data": maps.markers(content),
        "limit": maps.MAP_LIMIT,
        "area_form": area_form,
        "chosen_area": area,
        "keep": [(k, v) for k, v in _filter_query(request) if k in MAP_ONLY],
        "list_url": _with_query(reverse("catalog:offer_list"), filters),
        "calendar_url": _with_query(reverse("catalog:offer_calendar"), filters),
    }
    response = render(request, "catalog/offer_map.html", context)
    if "municipality" in request.GET:
        if request.user.is_authenticated:
            services.remember_municipality(request, response, municipality)
        else:
            _remember_choice(request, response)
    return response


def _published_offer(slug: str) -> Offer | None:
    """A published offer by slug, or by id (``/offers/42/``)."""
    return services.published_offer(slug)


def _offer_or_404(slug: str) -> Offer:
    offer = _published_offer(slug)
    if offer is None:
        raise Http404
    return offer


def _unavailable(
    request: HttpRequest, slug: str, template: str, current=None, *, strict=False, **context
) -> HttpResponse:
    """The old link of an offer schools cannot see now: a friendly page (200, not indexed)
    that points to similar offers in ``current`` municipality (the visitor's if not given).
    Unknown slugs stay 404, and so, when ``strict``, does an offer never offered in
    ``current`` (an embedded catalog shows only its municipality's offers)."""
    offer = services.unavailable_offer(slug)
    if offer is None:
        raise Http404
    if current is None:
        current = services.current_municipality(request, services.municipality_list())
    municipality = services.similar_municipality(offer, current)
    if strict and current is not None and municipality != current:
        raise Http404
    query = [("domain", offer.domain)]
    if municipality is not None:
        query.append(("municipality", municipality.slug))
    if getattr(request, "embed_language", ""):
        query.append(("lang", request.embed_language))
    response = render(
        request,
        template,
        {
            "offer": offer,
            "municipality": municipality,
            "similar": services.similar_offers(offer, municipality),
            "similar_query": urlencode(query),
            **context,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@vary_on_cookie
@cached_page(_page_names(Offer))
def offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    show_contact = permissions.can_see_contact(request.user)
    offer = services.published_offer(slug, contact=show_contact)
    if offer is None:
        return _unavailable(request, slug, "catalog/offer_unavailable.html")
    staff = permissions.can_favourite(request.user)
    context = {
        "offer": offer,
        "occasions": services.upcoming_occasions(offer),
        "class_price": services.offer_price_for_one_class(offer),
        "show_contact": show_contact,
        "can_favourite": staff,
        "is_favourite": staff and Favourite.objects.filter(user=request.user, offer=offer).exists(),
        "book_url": offer.get_absolute_url() + "book/",
    }
    return render(request, "catalog/offer_detail.html", context)


@require_POST
@login_required
def favourite_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_favourite(request.user):
        raise PermissionDenied
    offer = _offer_or_404(slug)
    services.toggle_favourite(request.user, offer)
    return HttpResponseRedirect(
        local_url(request, request.POST.get("next", ""), offer.get_absolute_url())
    )


@require_safe
@login_required
def favourite_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_favourite(request.user):
        raise PermissionDenied
    offers = services.with_next_date(
        Offer.objects.published()
        .filter(favourites__user=request.user)
        .select_related("association")
        .annotate(class_price=services.price_for_one_class())
        .prefetch_related(services.card_photos())
        .order_by("title")
    )
    return render(
        request,
        "catalog/favourite_list.html",
        {"offers": offers, "can_favourite": True, "favourite_ids": {o.pk for o in offers}},
    )


@require_safe
@vary_on_cookie
@cached_page(_page_names(Association))
def association_detail(request: HttpRequest, slug: str) -> HttpResponse:
    association = services.published_association(slug)
    if association is None:
        raise Http404
    return render(
        request,
        "catalog/association_detail.html",
        {"association": association, "offers": services.association_offers(association)},
    )


# Embedding in school intranets -----------------------------------------------------------


def _allow_framing(response: HttpResponse, municipality) -> HttpResponse:
    """Let the municipality's configured origins (and only them) frame this response."""
    return framing.allow_framing(response, municipality.embed_origins if municipality else [])


def _embed_language(view):
    """``?lang=da`` or ``?lang=en`` sets the embedded catalog's language. An intranet's
    iframe is cross-site, so it gets no language cookie, and the intranet may want its own
    language rather than each browser's. Outside the page cache: its key has the language."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        lang = request.GET.get("lang", "")
        request.embed_language = lang if lang in dict(settings.LANGUAGES) else ""
        if request.embed_language:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return view(request, *args, **kwargs)

    return wrapped


def _embed_query(request, municipality) -> str:
    """The query that keeps the embed's municipality and language on its own links."""
    pairs = [("municipality", municipality.slug)] if municipality is not None else []
    if request.embed_language:
        pairs.append(("lang", request.embed_language))
    return urlencode(pairs)


@require_safe
@xframe_options_exempt
@_embed_language
@cached_page(_catalog_names)
def embed_list(request: HttpRequest) -> HttpResponse:
    municipalities, municipality = _municipality(request)
    _data, filterset = _filtered(request, municipality, None)
    page, _counts = results(filterset, request.GET.get("page"), EMBED_PAGE_SIZE, facets=False)
    embed_query = _embed_query(request, municipality)
    cards.render(page.object_list, cards.embed_card, embed_query=embed_query)
    response = render(
        request,
        "catalog/embed/offer_list.html",
        {
            "municipality": municipality,
            "filter": filterset,
            "page_obj": page,
            "offers": page.object_list,
            "page_query": _page_query(request),
            "embed_query": embed_query,
            "has_no_offers": _has_no_offers(page, municipality),
        },
    )
    return _shows_the_chosen(request, _allow_framing(response, municipality), municipality)


@require_safe
@xframe_options_exempt
@_embed_language
@cached_page(_page_names(Offer))
def embed_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipalities, municipality = _municipality(request)
    offer = _published_offer(slug)
    if offer is None:
        response = _unavailable(
            request,
            slug,
            "catalog/embed/offer_unavailable.html",
            current=municipality,
            strict=True,
            embed_query=_embed_query(request, municipality),
        )
        return _shows_the_chosen(request, _allow_framing(response, municipality), municipality)
    if (
        municipality is not None
        and not offer.association.municipalities.filter(pk=municipality.pk).exists()
    ):
        raise Http404
    response = render(
        request,
        "catalog/embed/offer_detail.html",
        {
            "municipality": municipality,
            "offer": offer,
            "occasions": services.upcoming_occasions(offer),
            "class_price": services.offer_price_for_one_class(offer),
            "embed_query": _embed_query(request, municipality),
        },
    )
    return _shows_the_chosen(request, _allow_framing(response, municipality), municipality)


@require_safe
@login_required
def embed_snippet(request: HttpRequest) -> HttpResponse:
    if not permissions.can_make_embed_snippet(request.user):
        raise PermissionDenied
    municipalities = list(services.active_municipalities())
    if not request.user.is_superuser and request.user.is_consultant:
        municipalities = [m for m in municipalities if m == request.user.consultant_municipality]
    municipality = services.current_municipality(request, municipalities)
    pairs = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in ("page", "height", "municipality")
        for value in values
        if value
    ]
    if municipality is not None:
        pairs.insert(0, ("municipality", municipality.slug))
    embed_path = reverse("catalog:embed_list") + ("?" + urlencode(pairs) if pairs else "")
    height = request.GET.get("height", "800")
    height = height if is_digits(height) and 200 <= int(height) <= 4000 else "800"
    return render(
        request,
        "catalog/embed_snippet.html",
        {
            "municipalities": municipalities,
            "municipality": municipality,
            "filter": OfferFilter(request.GET, services.catalog_offers(municipality)),
            "embed_url": request.build_absolute_uri(embed_path),
            "height": height,
        },
    )
