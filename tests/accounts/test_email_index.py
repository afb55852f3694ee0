"""Case-insensitive e-mail lookups (log-in, sign-up, e-mail recipients) use an index."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (CI has it)")
def test_iexact_lookup_can_use_the_index():
    qs = get_user_model().objects.filter(email__iexact="Lærer@Skole.dk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "accounts_user_email_upper" in plan, plan


def test_log_in_finds_the_address_in_any_case(django_user_model):
    user = django_user_model.objects.create_user("laerer@skole.dk", "x" * 12)
    assert django_user_model.objects.get_by_natural_key("LAERER@Skole.DK") == user
