"""The open data API: read-only lists per municipality, anonymous, paginated, throttled."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from associations.models import Association, Offer
from bookings.models import Occasion
from catalog.services import municipality_list
from municipalities.models import Municipality
from portal import plans

from .filters import AssociationFilter, OccasionFilter, OfferFilter
from .serializers import (
    OFFER_VALUES,
    AssociationSerializer,
    MunicipalitySerializer,
    OccasionSerializer,
    OfferSerializer,
    offer_data,
)

NOT_FOUND = OpenApiResponse(description="Unknown municipality or page.")
BAD_REQUEST = OpenApiResponse(description="A filter or the page size has an invalid value.")
THROTTLED = OpenApiResponse(description="Too many requests; try again later.")
LIST_ERRORS = {400: BAD_REQUEST, 404: NOT_FOUND, 429: THROTTLED}


class OpenData:
    """Open data may be read by anyone, also by a web page on another site (CORS).

    Safe because the API is read-only, anonymous and never looks at cookies."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class Index(OpenData, APIView):
    @extend_schema(
        summary="API index",
        responses={200: OpenApiResponse(description="Links to the resources."), 429: THROTTLED},
    )
    def get(self, request):
        """Where to start: the municipalities, the schema and the documentation."""
        return Response(
            {
                "municipalities": reverse("api:municipalities", request=request),
                "schema": reverse("api:schema", request=request),
                "docs": reverse("api:docs", request=request),
            }
        )


class Schema(OpenData, SpectacularAPIView):
    """The OpenAPI 3 schema."""


@extend_schema_view(
    get=extend_schema(responses={200: MunicipalitySerializer(many=True), **LIST_ERRORS})
)
class MunicipalityList(OpenData, generics.ListAPIView):
    """Active municipalities. Their slugs select the data in the other endpoints."""

    serializer_class = MunicipalitySerializer
    queryset = Municipality.objects.filter(is_active=True).order_by("name")


class MunicipalityScoped(OpenData, generics.ListAPIView):
    #: The model, for the schema generator (the real queryset needs the URL's slug).
    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.get_list()

    def list(self, request, *args, **kwargs):
        """DRF's list; a text search's queries planned for its words (``portal.plans``)."""
        with plans.planned_for_values(plans.searches_words(request.query_params)):
            return super().list(request, *args, **kwargs)

    def get_municipality(self) -> Municipality:
        if not hasattr(self, "_municipality"):
            # The active municipalities are kept per process (catalog.services): no query.
            slug = self.kwargs["slug"]
            found = next((m for m in municipality_list() if m.slug == slug), None)
            if found is None:  # the answer's language, as every other message of the API
                raise Http404(_("No municipality with this name."))
            self._municipality = found
        return self._municipality


@extend_schema_view(get=extend_schema(responses={200: OfferSerializer(many=True), **LIST_ERRORS}))
class OfferList(MunicipalityScoped):
    """Published offers in the municipality, with the catalog's filters."""

    serializer_class = OfferSerializer
    filterset_class = OfferFilter
    model = Offer

    def get_list(self):
        return Offer.objects.published().for_municipality(self.get_municipality())

    def list(self, request, *args, **kwargs):
        """DRF's list, with the offers read as ``.values()`` rows and shown by ``offer_data``
        (OfferSerializer's output without its cost; the filters sort the rows)."""
        with plans.planned_for_values(plans.searches_words(request.query_params)):
            queryset = self.filter_queryset(self.get_queryset()).values(*OFFER_VALUES)
            page = self.paginate_queryset(queryset)
        return self.get_paginated_response(offer_data(page))


@extend_schema_view(
    get=extend_schema(responses={200: AssociationSerializer(many=True), **LIST_ERRORS})
)
class AssociationList(MunicipalityScoped):
    """Published associations that offer in the municipality."""

    serializer_class = AssociationSerializer
    filterset_class = AssociationFilter
    model = Association

    def get_list(self):
        return (
            Association.objects.published()
            .for_municipality(self.get_municipality())
            .order_by("name", "pk")
        )


@extend_schema_view(
    get=extend_schema(responses={200: OccasionSerializer(many=True), **LIST_ERRORS})
)
class OccasionList(MunicipalityScoped):
    """Upcoming fixed-date occasions of published offers, filtered like the offers."""

    serializer_class = OccasionSerializer
    filterset_class = OccasionFilter
    model = Occasion

    def get_list(self):
        return (
            Occasion.objects.upcoming()
            .filter(offer__in=Offer.objects.published().for_municipality(self.get_municipality()))
            .select_related("offer", "offer__association")
            .order_by("starts_at", "pk")
        )


@require_safe
def docs(request):
    """The API documentation (Swagger UI, served from our own static files)."""
    return render(
        request,
        "api/docs.html",
        {"title": _("Open data API"), "schema_url": reverse("api:schema")},
    )
