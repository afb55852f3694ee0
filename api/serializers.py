"""What the open data API shows. Only public facts: never a person's name, phone or e-mail.

Fields are listed one by one (no ``__all__``) so that a new model field never leaks by
accident; ``tests/api/test_no_personal_data.py`` checks the output.

The offer list, the API's busiest answer, is not built by ``OfferSerializer`` itself but by
``offer_data`` from ``.values()`` rows: the same keys in the same order with the same types
(``tests/api/test_api.py`` compares the two byte for byte). DRF calls a field object per
value, ≈ 400 Python calls an offer, plus the model objects and the subjects' prefetch;
``offer_data`` makes one call an offer and one plain query for the subjects. The serializer
stays what the schema documents and what ``offer_data`` follows.
"""

from decimal import Decimal

from django.db import connection
from rest_framework import serializers

from associations.models import Association, Offer, Subject
from bookings.models import Occasion
from municipalities.models import Municipality


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["slug", "name", "code"]


class AssociationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Association
        fields = ["slug", "name"]


class AssociationSerializer(serializers.ModelSerializer):
    domains = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Association
        fields = [
            "slug",
            "name",
            "cvr",
            "domains",
            "description",
            "postal_code",
            "town",
            "website",
            "members_under_18",
            "members_under_25",
        ]


class OfferSerializer(serializers.ModelSerializer):
    association = AssociationRefSerializer(read_only=True)
    subjects = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Offer
        fields = [
            "slug",
            "title",
            "summary",
            "description",
            "association",
            "domain",
            "subjects",
            "grade_min",
            "grade_max",
            "format",
            "location",
            "location_postal_code",
            "duration_minutes",
            "pupils_min",
            "pupils_max",
            "sessions_per_week",
            "season_start_week",
            "season_end_week",
            "weekdays",
            "on_request",
            "price_model",
            "price_amount",
            "learning_goals",
            "faelles_maal_url",
            "what_to_bring",
            "accessibility",
            "weather",
            "transport",
        ]


#: The offer's own columns in the API, in OfferSerializer's order (without its relations).
OFFER_COLUMNS = tuple(
    f for f in OfferSerializer.Meta.fields if f not in ("association", "subjects")
)
#: What ``offer_data`` needs of each offer: ``queryset.values(*OFFER_VALUES)``.
OFFER_VALUES = ("id", *OFFER_COLUMNS, "association__slug", "association__name")
#: DRF's DecimalField shows a price with the model field's two decimals, as a string.
CENTS = Decimal("0.01")


def offer_data(rows: list[dict]) -> list[dict]:
    """``OfferSerializer(offers, many=True).data`` for the offers of ``rows`` (``.values(
    *OFFER_VALUES)`` dicts), with one query for their subjects."""
    subjects = subject_slugs([row["id"] for row in rows])
    return [_offer_dict(row, subjects.get(row["id"], [])) for row in rows]


def subject_slugs(offer_ids: list[int]) -> dict[int, list[str]]:
    """The offers' subjects (slugs in slug order) by offer id.

    Plain SQL: the ORM's version of this one join costs ≈ 850 Python calls to build, this
    ≈ 90, and the list runs it on every request."""
    if not offer_ids:
        return {}
    link, subject = Offer.subjects.through._meta, Subject._meta
    quote = connection.ops.quote_name
    ids = ", ".join(["%s"] * len(offer_ids))  # the ids are parameters
    sql = (
        f"SELECT link.offer_id, subject.slug FROM {quote(link.db_table)} link "  # noqa: S608  # nosec B608
        f"JOIN {quote(subject.db_table)} subject ON subject.id = link.subject_id "
        f"WHERE link.offer_id IN ({ids}) ORDER BY subject.slug"
    )
    found: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, offer_ids)
        for offer_id, slug in cursor.fetchall():
            found.setdefault(offer_id, []).append(slug)
    return found


def _offer_dict(row: dict, subjects: list[str]) -> dict:
    data = {}
    for name in OfferSerializer.Meta.fields:
        if name == "association":
            data[name] = {"slug": row["association__slug"], "name": row["association__name"]}
        elif name == "subjects":
            data[name] = subjects
        elif name == "price_amount" and row[name] is not None:
            data[name] = f"{row[name].quantize(CENTS):f}"
        else:
            data[name] = row[name]
    return data


class OfferRefSerializer(serializers.ModelSerializer):
    association = AssociationRefSerializer(read_only=True)

    class Meta:
        model = Offer
        fields = ["slug", "title", "association"]


class OccasionSerializer(serializers.ModelSerializer):
    offer = OfferRefSerializer(read_only=True)
    free = serializers.IntegerField(read_only=True)

    class Meta:
        model = Occasion
        fields = [
            "id",
            "offer",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "capacity_unit",
            "free",
        ]
