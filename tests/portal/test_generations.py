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


def test_a_name_from_a_rolled_back_savepoint_is_bumped_with_the_next_commit(
    django_capture_on_commit_callbacks,
):
    before = generations.read("d", "e")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                generations.bump("d", now=False)
                raise RuntimeError
        except RuntimeError:
            pass
        generations.bump("e", now=False)
    # One extra bump of "d" costs a cache miss; a missing bump would serve stale data.
    assert generations.read("d", "e") == (before[0] + 1, before[1] + 1)
