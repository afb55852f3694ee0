"""Many different URLs per page, as real visitors make them: every school searches for
something else (words with typos, grades, weeks, price, domain, municipality), opens another
offer and another association. `bench/report.lua` rotates through a file of these paths, so
the page cache sees mostly misses, as it would in life.

Needs Django set up (called from bench/targets.py).
"""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import urlencode

from associations.models import Association, Domain, Offer
from devdata.scale.data import WORDS
from municipalities.models import Municipality

#: At least this many distinct URLs for each search page (the issue asks for 1,000).
SEARCHES = 5000
OFFER_PAGES = 20000
ASSOCIATION_PAGES = 10000


def typo(rng: random.Random, word: str) -> str:
    """The word as people type it in a hurry: a letter dropped, doubled or swapped."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def search_params(rng: random.Random, slugs: list[str]) -> dict:
    """One school's search: a municipality and two to four of the catalog's filters."""
    params = {"municipality": rng.choice(slugs)}
    roll = rng.random()
    if roll < 0.6:
        word = rng.choice(WORDS)
        params["q"] = typo(rng, word) if rng.random() < 0.3 else word
    if rng.random() < 0.6:
        params["grade"] = rng.randint(0, 10)
    if rng.random() < 0.4:
        params["week"] = rng.choice([*range(33, 52), *range(1, 26)])
    if rng.random() < 0.3:
        params["domain"] = rng.choice(Domain.values)
    if rng.random() < 0.15:
        params["free"] = "true"
    elif rng.random() < 0.15:
        params["max_price"] = rng.choice([500, 1000, 2000])
    return params


def searches(prefix: str, count: int = SEARCHES, *, api: bool = False) -> list[str]:
    """``count`` distinct search paths under ``prefix`` (``/offers/``, ``/embed/offers/``, or
    the API's ``/api/municipalities/<slug>/offers/`` when ``api``)."""
    rng = random.Random(f"bench-{prefix}")  # the same list in every run  # noqa: S311
    slugs = list(
        Municipality.objects.filter(slug__startswith="scale-").values_list("slug", flat=True)
    )
    found: dict[str, None] = {}
    while len(found) < count:
        params = search_params(rng, slugs)
        if api:
            slug = params.pop("municipality")
            path = f"/api/municipalities/{slug}/offers/"
        else:
            path = prefix
        query = urlencode(params)
        found[f"{path}?{query}" if query else path] = None
    return list(found)


def offer_pages(count: int = OFFER_PAGES) -> list[str]:
    slugs = Offer.objects.published().order_by("pk").values_list("slug", flat=True)[:count]
    return shuffled([f"/offers/{slug}/" for slug in slugs])


def association_pages(count: int = ASSOCIATION_PAGES) -> list[str]:
    slugs = Association.objects.published().order_by("pk").values_list("slug", flat=True)[:count]
    return shuffled([f"/associations/{slug}/" for slug in slugs])


def dashboards(this_year: int) -> list[str]:
    """The operator's view of each municipality's dashboard, this and last school year."""
    slugs = Municipality.objects.filter(slug__startswith="scale-").values_list("slug", flat=True)
    years = (this_year, this_year - 1)
    return shuffled(
        [f"/dashboard/?{urlencode({'municipality': s, 'period': y})}" for s in slugs for y in years]
    )


def shuffled(paths: list[str]) -> list[str]:
    random.Random(len(paths)).shuffle(paths)  # noqa: S311
    return paths


def write(folder: Path, name: str, paths: list[str]) -> str:
    """Write the paths for wrk (one a line); returns the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text("\n".join(paths) + "\n", encoding="utf-8")
    return str(path)
