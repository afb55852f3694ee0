"""The bookings' admin pages: dates and waiting lists are shown, not changed (their changes
go through the services); a pool's amount is changed there, never below what it holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory

from bookings.admin import SubsidyPoolAdmin
from bookings.models import Occasion, SubsidyPool, WaitingListEntry

from .conftest import make_booking

ADMIN = "/admin/bookings"


def test_a_date_is_shown_but_not_changed_nor_cancelled_in_the_admin(
    admin_client, teacher, school, occasion
):
    make_booking(teacher, school, occasion.offer, occasion)
    url = f"{ADMIN}/occasion/{occasion.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="is_cancelled"' not in page.content.decode()
    start = occasion.starts_at + timedelta(days=1)
    refused = admin_client.post(
        url,
        {
            "offer": occasion.offer_id,
            "starts_at_0": start.strftime("%d.%m.%Y"),
            "starts_at_1": "10:00",
            "ends_at_0": start.strftime("%d.%m.%Y"),
            "ends_at_1": "12:00",
            "capacity": 5,
            "is_cancelled": "on",
        },
    )
    assert refused.status_code == 403
    occasion.refresh_from_db()
    assert not occasion.is_cancelled and occasion.reserved == 1
    assert admin_client.get(f"{ADMIN}/occasion/add/").status_code == 403
    # An operator may delete (a school's or an offer's deletion takes its dates along), but
    # not a date with bookings.
    admin_client.post(f"{ADMIN}/occasion/{occasion.pk}/delete/", {"post": "yes"})
    assert Occasion.objects.filter(pk=occasion.pk).exists()


@pytest.fixture
def entry(teacher, school, occasion):
    return WaitingListEntry.objects.create(
        occasion=occasion,
        school=school,
        requested_by=teacher,
        places=1,
        classes="5.A",
        grade=5,
        pupils=20,
    )


def test_a_waiting_list_entry_is_not_changed_in_the_admin(admin_client, entry):
    url = f"{ADMIN}/waitinglistentry/{entry.pk}/change/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"state": "offered", "places": 1}).status_code == 403
    entry.refresh_from_db()
    assert entry.state == WaitingListEntry.State.WAITING


@pytest.fixture
def pool(municipality):
    return SubsidyPool.objects.create(
        municipality=municipality,
        school_year=2026,
        amount=Decimal("1000"),
        reserved=Decimal("600"),
        spent=Decimal("100"),
    )


def _pool_form(pool, amount):
    return {
        "municipality": pool.municipality_id,
        "school_year": pool.school_year,
        "amount": amount,
        "municipality_share_percent": pool.municipality_share_percent,
    }


def test_a_pools_amount_below_what_it_holds_is_refused_with_a_reason(admin_client, pool):
    url = f"{ADMIN}/subsidypool/{pool.pk}/change/"
    page = admin_client.post(url, _pool_form(pool, "500"))
    assert page.status_code == 200
    assert "700 kr. af puljen er allerede reserveret eller brugt" in page.content.decode()
    pool.refresh_from_db()
    assert pool.amount == Decimal("1000")
    assert admin_client.post(url, _pool_form(pool, "1500")).status_code == 302
    pool.refresh_from_db()
    assert pool.amount == Decimal("1500")


def test_the_pool_admin_keeps_totals_a_booking_changed_meanwhile(admin_user, pool):
    """The admin saves the amount it changed, not its moment-old copy of the totals."""
    shown = SubsidyPool.objects.get(pk=pool.pk)
    SubsidyPool.objects.filter(pk=pool.pk).update(reserved=Decimal("800"))  # a confirmation
    request = RequestFactory().post("/")
    request.user = admin_user
    pool_admin = SubsidyPoolAdmin(SubsidyPool, admin.site)
    form = pool_admin.get_form(request, shown)(_pool_form(shown, "2000"), instance=shown)
    assert form.is_valid() and form.changed_data == ["amount"]
    pool_admin.save_model(request, form.save(commit=False), form, change=True)
    pool.refresh_from_db()
    assert pool.amount == Decimal("2000") and pool.reserved == Decimal("800")


def test_an_operator_deletes_a_school_with_its_waiting_list_entries(admin_client, entry):
    """The read-only admins still let a deletion elsewhere take their rows along."""
    url = f"/admin/schools/school/{entry.school_id}/delete/"
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not WaitingListEntry.objects.exists()
