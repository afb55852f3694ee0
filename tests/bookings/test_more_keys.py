"""A second click never creates a second thing: subsidy pools.

A subsidy pool is one per municipality and school year (``bookings_pool_one_per_year``), so
that constraint guards the second "open".
"""

import pytest
from django.urls import reverse

from bookings.models import SubsidyPool
from tests import factories as f

from .conftest import run_concurrently
from .test_idempotency import _logged_in

POOL_URL = reverse("bookings:pool")


def pool_form(**changes):
    return {"school_year": 2026, "amount": "400000", "municipality_share_percent": 50, **changes}


# --- Subsidy pools ------------------------------------------------------------------------


def test_opening_a_pool_twice_is_a_field_error_and_opens_one(client, consultant, municipality):
    client.force_login(consultant)
    assert client.post(POOL_URL, pool_form()).status_code == 302
    again = client.post(POOL_URL, pool_form(amount="1"))
    assert again.status_code == 200
    assert again.context["form"].errors["school_year"] == [
        "Der er allerede en pulje for dette skoleår."
    ]
    pool = SubsidyPool.objects.get()
    assert pool.municipality == municipality and pool.amount == 400000


def test_another_municipality_opens_its_own_pool_for_the_year(client, consultant, other_consultant):
    for user in (consultant, other_consultant):
        client.force_login(user)
        assert client.post(POOL_URL, pool_form()).status_code == 302
    assert SubsidyPool.objects.count() == 2


# --- Two submits at the same moment (PostgreSQL) -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_opens_of_a_pool_open_one_and_the_second_gets_the_field_error():
    """The second insert waits at bookings_pool_one_per_year for the first to commit, then
    fails there and is shown the form's error, not a 500."""
    consultant = f.ConsultantFactory().user
    clients = [_logged_in(consultant) for _ in range(2)]

    responses = run_concurrently(2, lambda i: clients[i].post(POOL_URL, pool_form()))

    assert sorted(r.status_code for r in responses) == [200, 302], responses
    (refused,) = [r for r in responses if r.status_code == 200]
    assert "Der er allerede en pulje for dette skoleår." in refused.content.decode()
    assert SubsidyPool.objects.count() == 1
