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
    #: True when the path crosses a many-to-many relation (an association offers in several
    #: municipalities): such a path is filtered with a subquery, never a join that would
    #: repeat rows.
    municipality_is_multi = False

    def for_municipality(self, municipality):
        if municipality is None:
            return self.none()
        return self.in_municipalities([municipality])

    def in_municipalities(self, municipalities):
        """Rows of any of ``municipalities`` (a school user's, say).

        A many-to-many path (``association__municipalities``) is filtered with a subquery of
        the relation's table (``association_id IN (SELECT association_id ... WHERE
        municipality_id IN ...)``), so the rows need no DISTINCT over a join, which would
        cost more than the rest of a catalog search."""
        lookup = self.municipality_lookup
        if not self.municipality_is_multi:
            return self.filter(**{f"{lookup}__in": municipalities})
        *path, name = lookup.split("__")
        owner = self.model
        for step in path:
            owner = owner._meta.get_field(step).related_model
        relation = owner._meta.get_field(name)
        members = relation.remote_field.through.objects.filter(
            **{f"{relation.m2m_reverse_field_name()}__in": municipalities}
        ).values(relation.m2m_field_name())
        return self.filter(**{"__".join([*path, "in"]) if path else "pk__in": members})

    def for_consultant(self, user):
        """Rows a consultant may see: their municipality's; operators see all."""
        if user.is_superuser:
            return self
        return self.for_municipality(getattr(user, "consultant_municipality", None))
