"""Free-text search, for offers and for anything else that keeps a search document.

PostgreSQL: full-text search with the ``danish`` configuration (stemming) over each row's
stored document (``search_document``: for an offer its title, association name, summary and
description, kept by a trigger and GIN-indexed), ranked, plus trigram word similarity so that
typos still find the row. Other databases (SQLite in development and tests): a plain
case-insensitive substring match over the same fields.

What is searched is a ``SearchSpec``: the fields of the fallback, and the fields compared by
trigram similarity with their weight in the relevance. ``search_offers`` is the catalog's;
the knowledge bank (``knowledge.search``) passes its own spec to ``search``.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest

#: Trigram word similarity from which a title or association name counts as a hit.
TRIGRAM_THRESHOLD = 0.5


@dataclass(frozen=True)
class SearchSpec:
    """What a model's search looks at (its ``search_document`` column holds the rest)."""

    #: Fields of the substring fallback (databases other than PostgreSQL).
    fields: tuple[str, ...]
    #: (field, weight): compared by trigram word similarity when typos are tolerated.
    similar: tuple[tuple[str, float], ...]
    #: The field whose hit ranks first in the fallback.
    title: str = "title"


OFFERS = SearchSpec(
    fields=("title", "summary", "description", "association__name"),
    similar=(("title", 0.5), ("association__name", 0.3)),
)
SEARCH_FIELDS = OFFERS.fields


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_offers(queryset: QuerySet, text: str, *, typos: bool | None = None) -> QuerySet:
    """Offers matching ``text``, annotated with ``relevance`` (higher is better)."""
    return search(queryset, text, OFFERS, typos=typos)


def search(queryset: QuerySet, text: str, spec: SearchSpec, *, typos: bool | None = None):
    """Rows matching ``text``, annotated with ``relevance`` (higher is better).

    On PostgreSQL, ``typos`` also matches the spec's ``similar`` fields by trigram
    similarity. That compares every candidate row's title (the index cannot help), so by
    default it is used only when the words themselves find nothing in ``queryset``
    (``needs_typo_tolerance``): a misspelt word that the stem prefix does not catch.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    if not is_postgres():
        return _search_fallback(queryset, text, spec)
    query = _text_query(text)
    if typos is None:
        # needs_typo_tolerance's question, with the filter kept as the answer when the
        # words find something (building it once: ≈ 400 Python calls less).
        matches = queryset.filter(search_document=query)
        if matches.exists():
            return _ranked(matches, query)
        typos = True
    return _search_postgres(queryset, text, query, spec, typos=typos)


def needs_typo_tolerance(queryset: QuerySet, text: str) -> bool:
    """Whether full-text search (stems and stem prefixes, GIN-indexed) finds nothing."""
    return is_postgres() and not queryset.filter(search_document=_text_query(text)).exists()


def _search_fallback(queryset: QuerySet, text: str, spec: SearchSpec) -> QuerySet:
    condition = Q()
    for word in text.split():
        word_q = Q()
        for field in spec.fields:
            word_q |= Q(**{f"{field}__icontains": word})
        condition &= word_q
    title_hit = Q()
    for word in text.split():
        title_hit &= Q(**{f"{spec.title}__icontains": word})
    return queryset.filter(condition).annotate(
        relevance=Case(
            When(title_hit, then=Value(1.0)), default=Value(0.5), output_field=FloatField()
        )
    )


def _text_query(text: str):
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery(text, config="danish", search_type="websearch")
    # A stem prefix ("svømning" -> "svøm:*") finds other forms of the same word.
    prefix = _prefix_query(text)
    return query if prefix is None else query | prefix


def _ranked(matches: QuerySet, query) -> QuerySet:
    from django.contrib.postgres.search import SearchRank

    return matches.annotate(relevance=SearchRank(F("search_document"), query))


def _search_postgres(queryset: QuerySet, text: str, query, spec: SearchSpec, *, typos: bool):
    from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity

    if not typos:
        return _ranked(queryset.filter(search_document=query), query)
    similarities = {f"_similarity_{i}": field for i, (field, _w) in enumerate(spec.similar)}
    matches = Q(search_document=query)
    for name in similarities:
        matches |= Q(**{f"{name}__gte": TRIGRAM_THRESHOLD})
    return (
        queryset.annotate(
            search_rank=SearchRank(F("search_document"), query),
            **{name: TrigramWordSimilarity(text, field) for name, field in similarities.items()},
        )
        .filter(matches)
        .annotate(
            relevance=Greatest(
                Coalesce(F("search_rank"), Value(0.0)),
                *(
                    F(name) * Value(weight)
                    for name, (_f, weight) in zip(similarities, spec.similar, strict=True)
                ),
                output_field=FloatField(),
            )
        )
    )


def _prefix_query(text: str):
    """Each word's first half (at least 4 letters) as a prefix term, ANDed.

    The Danish stemmer keeps "svømning" but reduces "svømme" to "svøm"; the prefix
    "svøm:*" finds both. Ranking still puts exact stems first.
    """
    from django.contrib.postgres.search import SearchQuery

    words = ["".join(ch for ch in w if ch.isalnum()) for w in text.split()]
    words = [w.lower() for w in words if len(w) >= 5]
    if not words:
        return None
    terms = " & ".join(f"{w[: max(4, len(w) // 2)]}:*" for w in words)
    return SearchQuery(terms, config="simple", search_type="raw")
