"""What the open data API shows. Only public facts: never a person's name, phone or e-mail.

Fields are listed one by one (no ``__all__``) so that a new model field never leaks by
accident; ``tests/api/test_no_personal_data.py`` checks the output.
"""

from rest_framework import serializers

from associations.models import Association, Offer
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
