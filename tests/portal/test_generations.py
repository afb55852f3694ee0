"""Generation counters: the bumps a transaction makes at commit go in one round trip."""

import pytest
from django.db import transaction

from portal import generations

pytestmark = pytest.mark.django_db


def test_the_bumps_at_commit_go_together(monkeypatch, django_capture_on_commit_callbacks):
    before = generations.read("a", "b")
    calls = []
    real = generations._incr
    monkeypatch.setattr(generations, "_incr", lambda *names: calls.append(names) or real(*names))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generations.bump("a", now=False)
        generations.bump("b", now=False)
        generations.bump("a", now=False)
        assert generations.read("a", "b") == before  # nothing until the commit
    assert calls == [("a", "b")]
    assert generations.read("a", "b") == (before[0] + 1, before[1] + 1)


def test_a_bump_at_once_is_seen_inside_the_transaction(django_capture_on_commit_callbacks):
    (before,) = generations.read("c")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generations.bump("c")
        assert generations.read("c") == (before + 1,)
    assert generations.read("c") == (before + 2,)


def test_a_rolled_back_savepoint_does_not_lose_the_bumps_around_it(
    django_capture_on_commit_callbacks,
):
    before = generations.read("d", "e", "f")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generations.bump("f", now=False)
        try:
            with transaction.atomic():
                generations.bump("d", now=False)
                raise RuntimeError
        except RuntimeError:
            pass
        generations.bump("e", now=False)
    d, e, f = generations.read("d", "e", "f")
    assert (e, f) == (before[1] + 1, before[2] + 1)
    assert d in (before[0], before[0] + 1)  # an extra bump costs a miss, nothing more


def test_a_bump_now_waits_until_the_transaction_reads_the_counter(
    django_capture_on_commit_callbacks,
):
    (before,) = generations.read("g")
    calls = []
    real = generations._incr
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generations._incr = lambda *names: calls.append(names) or real(*names)
        try:
            generations.bump("g")
            assert calls == []  # a write path that never reads pays no round trip
            assert generations.read("g") == (before + 1,)
            assert generations.read("g") == (before + 1,)  # once
        finally:
            generations._incr = real
    assert calls == [("g",)]
    assert generations.read("g") == (before + 2,)
