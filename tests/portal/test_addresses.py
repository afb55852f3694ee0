"""``portal.addresses``: many rows' addresses from one ``reverse()`` per view, the same as
``reverse()`` gives, also under another script prefix (a portal served below a path)."""

import pytest
from django.urls import reverse, set_script_prefix

from portal import addresses


@pytest.fixture
def below_a_path():
    set_script_prefix("/aaben-skole/")
    yield
    set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "key"),
    [("catalog:offer_detail", "kajak-paa-havnen"), ("bookings:detail", 42)],
)
def test_an_address_is_what_reverse_gives(name, key):
    assert addresses.of(name, key) == reverse(name, args=[key])
    head, tail = addresses.around(name)
    assert f"{head}{key}{tail}" == reverse(name, args=[key])


def test_the_script_prefix_is_part_of_the_address(below_a_path):
    address = addresses.of("catalog:association_detail", "kajakklubben")
    assert address == "/aaben-skole/associations/kajakklubben/"
    assert address == reverse("catalog:association_detail", args=["kajakklubben"])
    head, _tail = addresses.around("catalog:association_detail")
    assert head == "/aaben-skole/associations/"
