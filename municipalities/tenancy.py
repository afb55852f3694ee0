"""Tenancy by queryset: "only my municipality's data" is one call.

Every model whose rows belong to municipalities gets a queryset built on
``TenantQuerySet`` and says how it reaches the municipality
(``municipality_lookup``). Views and the admin then call
``Model.objects.for_municipality(m)`` or ``.for_consultant(user)``; nobody
repeats the filter by hand.
"""

from django.db import models


class TenantQuerySet(models.QuerySet):
    #: The ORM path from this model to its Municipality, e.g. "school__municipality".
    municipality_lookup = "municipality"
    #: True when the path crosses a many-to-many relation (needs distinct()).
    municipality_is_multi = False

    def for_municipality(self, municipality):
        if municipality is None:
            return self.none()
        qs = self.filter(**{self.municipality_lookup: municipality})
        return qs.distinct() if self.municipality_is_multi else qs

    def in_municipalities(self, municipalities):
        """Rows of any of ``municipalities`` (a school user's, say). A many-to-many path is
        filtered with a subquery, so the rows need no DISTINCT over the join."""
        lookup = f"{self.municipality_lookup}__in"
        if not self.municipality_is_multi:
            return self.filter(**{lookup: municipalities})
        return self.filter(pk__in=self.model._base_manager.filter(**{lookup: municipalities}))

    def for_consultant(self, user):
        """Rows a consultant may see: their municipality's; operators see all."""
        if user.is_superuser:
            return self
        return self.for_municipality(getattr(user, "consultant_municipality", None))
