"""Generations: a bump counts when its transaction commits; a value is never used again.
Each test runs on the cache ``make run`` and the tests use (local memory) and on
production's (django-redis on a real Redis, REDIS_URL, as CI sets it), where the values and
entries are read by a Lua script and a bump is one MSET."""

import os

import pytest
from django.core.cache import cache, caches
from django.db import transaction

from portal import generations

# Real commits: on_commit is what the bumps rely on.
pytestmark = pytest.mark.django_db(transaction=True)

URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(
    autouse=True,
    params=[
        "locmem",
        pytest.param("redis", marks=pytest.mark.skipif(not URL, reason="needs REDIS_URL")),
    ],
)
def shared_cache(request, settings):
    if request.param == "redis":
        redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": URL}
        redis["KEY_PREFIX"] = f"test-generations-{os.getpid()}"
        settings.CACHES = {**settings.CACHES, "default": redis}
        assert generations._fetch_script() is not None  # the Lua script's path
    yield request.param
    if request.param == "redis":
        cache.delete_pattern("*")  # this run's keys only (its prefix)


def test_a_bump_counts_when_the_transaction_commits():
    before = generations.read("a", "b")
    with transaction.atomic():
        generations.bump("a", "b")
        generations.bump("a")
        assert generations.read("a", "b") == before  # nothing until the commit
    after = generations.read("a", "b")
    assert after[0] != before[0] and after[1] != before[1]


def test_outside_a_transaction_a_bump_counts_at_once():
    (before,) = generations.read("c")
    generations.bump("c")
    assert generations.read("c") != (before,)


def test_a_rolled_back_savepoint_does_not_lose_the_bumps_around_it():
    before = generations.read("d", "e", "f")
    with transaction.atomic():
        generations.bump("f")
        try:
            with transaction.atomic():
                generations.bump("d")
                raise RuntimeError
        except RuntimeError:
            pass
        generations.bump("e")
    d, e, f = generations.read("d", "e", "f")
    assert (e != before[1], f != before[2]) == (True, True)
    assert d == before[0]  # its change was rolled back: nothing to drop


def test_a_rolled_back_transaction_bumps_nothing():
    before = generations.read("g")
    with pytest.raises(RuntimeError), transaction.atomic():
        generations.bump("g")
        raise RuntimeError
    assert generations.read("g") == before


def test_a_lost_value_never_comes_back():
    (before,) = generations.read("h")
    generations.bump("h")
    (bumped,) = generations.read("h")
    cache.delete("generation:h")  # flushed or evicted, while entries cached under "bumped" live
    (after,) = generations.read("h")
    assert len({before, bumped, after}) == 3
    assert generations.read("h") == (after,)


def test_a_value_computed_under_old_values_is_not_used(django_assert_num_queries):
    computed = []

    def compute():
        computed.append(1)
        return f"value {len(computed)}"

    assert generations.cached("thing", ("i", "j"), compute, 60) == "value 1"
    assert generations.cached("thing", ("i", "j"), compute, 60) == "value 1"
    generations.bump("j")
    assert generations.cached("thing", ("i", "j"), compute, 60) == "value 2"
    cache.delete("generation:i")  # lost: starts again at a value never used before
    assert generations.cached("thing", ("i", "j"), compute, 60) == "value 3"
    assert generations.cached("other", ("i",), lambda: None, 60) is None  # None is not kept


def test_the_process_local_copy_lasts_its_seconds_and_this_process_forgets_it(settings):
    settings.PAGECACHE_LOCAL_SECONDS = 60
    caches["local"].clear()
    try:
        (before,) = generations.read("k", local=True)
        cache.set("generation:k", "changed elsewhere", None)  # another process's bump
        assert generations.read("k", local=True) == (before,)  # within its seconds
        assert generations.read("k") == ("changed elsewhere",)  # the shared value
        generations.bump("k")  # this process's own bump: seen here at once
        assert generations.read("k", local=True) not in ((before,), ("changed elsewhere",))
    finally:
        caches["local"].clear()


def test_a_model_name_instead_of_a_model_fails_at_start_up():
    with pytest.raises(AttributeError):
        generations.on_change("associations.Offer", lambda _offer: [])


def test_every_model_the_caches_show_is_wired_by_its_own_app():
    """Each app connects its own models in its AppConfig.ready() (portal names none)."""
    from django.apps import apps
    from django.db.models import signals

    wired = {
        "municipalities": ["Municipality"],
        "associations": ["Association", "Offer", "OfferPhoto", "Instructor"],
        "schools": [
            "School",
            "SchoolMembership",
            "SchoolNeed",
            "NeedAnswer",
            "SchoolEvent",
            "EventParticipation",
        ],
        "bookings": [
            "Booking",
            "Occasion",
            "OccasionSession",
            "WaitingListEntry",
            "CalendarFeed",
            "SubsidyPool",
        ],
    }
    for app, names in wired.items():
        for name in names:
            model = apps.get_model(app, name)
            for signal in (signals.post_save, signals.post_delete):
                assert signal.has_listeners(model), f"{model._meta.label}: {signal}"
    for model, field in [
        ("associations.Association", "municipalities"),
        ("associations.Offer", "subjects"),
        ("associations.Offer", "instructors"),
        ("schools.SchoolNeed", "subjects"),
    ]:
        through = apps.get_model(model)._meta.get_field(field).remote_field.through
        assert signals.m2m_changed.has_listeners(through), f"{model}.{field}"
