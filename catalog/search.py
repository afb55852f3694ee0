"""Free-text search over offers.

PostgreSQL: full-text search with the ``danish`` configuration (stemming) over each offer's
stored document (``Offer.search_document``: title, association name, summary, description,
kept by a trigger and GIN-indexed), ranked, plus trigram word similarity so that typos
still find the offer. Other databases (SQLite in development and tests): a plain
case-insensitive substring match over the same fields.
"""

from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest

#: Trigram word similarity from which a title or association name counts as a hit.
TRIGRAM_THRESHOLD = 0.5
SEARCH_FIELDS = ("title", "summary", "description", "association__name")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_offers(queryset: QuerySet, text: str, *, typos: bool | None = None) -> QuerySet:
    """Offers matching ``text``, annotated with ``relevance`` (higher is better).

    On PostgreSQL, ``typos`` also matches titles and association names by trigram
    similarity. That compares every candidate row's title (the index cannot help), so by
    default it is used only when the words themselves find nothing in ``queryset``
    (``needs_typo_tolerance``): a misspelt word that the stem prefix does not catch.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    if not is_postgres():
        return _search_fallback(queryset, text)
    if typos is None:
        typos = needs_typo_tolerance(queryset, text)
    return _search_postgres(queryset, text, typos=typos)


def needs_typo_tolerance(queryset: QuerySet, text: str) -> bool:
    """Whether full-text search (stems and stem prefixes, GIN-indexed) finds nothing."""
    return is_postgres() and not queryset.filter(search_document=_text_query(text)).exists()


def _search_fallback(queryset: QuerySet, text: str) -> QuerySet:
    condition = Q()
    for word in text.split():
        word_q = Q()
        for field in SEARCH_FIELDS:
            word_q |= Q(**{f"{field}__icontains": word})
        condition &= word_q
    title_hit = Q()
    for word in text.split():
        title_hit &= Q(title__icontains=word)
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


def _search_postgres(queryset: QuerySet, text: str, *, typos: bool) -> QuerySet:
    from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity

    query = _text_query(text)
    if not typos:
        return queryset.filter(search_document=query).annotate(
            relevance=SearchRank(F("search_document"), query)
        )
    return (
        queryset.annotate(
            search_rank=SearchRank(F("search_document"), query),
            title_similarity=TrigramWordSimilarity(text, "title"),
            name_similarity=TrigramWordSimilarity(text, "association__name"),
        )
        .filter(
            Q(search_document=query)
            | Q(title_similarity__gte=TRIGRAM_THRESHOLD)
            | Q(name_similarity__gte=TRIGRAM_THRESHOLD)
        )
        .annotate(
            relevance=Greatest(
                Coalesce(F("search_rank"), Value(0.0)),
                F("title_similarity") * Value(0.5),
                F("name_similarity") * Value(0.3),
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
