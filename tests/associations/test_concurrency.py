"""Two requests at the same moment: row locks keep the association's rules.

Two admins removing each other must not leave the association without one (without the row
lock in `services.remove_member` both removals succeed); a photo form sent twice at once
adds one photo.
"""

import threading
import uuid

import pytest
from django.db import connection, transaction

from associations import services
from associations.models import AssociationMembership, OfferPhoto
from tests import factories as f
from tests.associations.images import image_upload


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_removing_each_other_leave_one_admin():
    association = f.AssociationFactory()
    a = f.AssociationMembershipFactory(association=association, role="admin")
    b = f.AssociationMembershipFactory(association=association, role="admin")
    barrier = threading.Barrier(2)
    errors = []

    def remove(target, by):
        try:
            barrier.wait(timeout=10)
            services.remove_member(association, target.pk, by=by)
        except services.MembershipError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(a, b.user)),
        threading.Thread(target=remove, args=(b, a.user)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(errors) == 1
    assert AssociationMembership.objects.filter(association=association, role="admin").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_photo_form_sent_twice_at_once_adds_one_photo():
    """Two clicks at the same moment: the second waits for the offer's lock and finds the
    first one's photo (without the look-up under the lock, both insert and one fails)."""
    offer = f.OfferFactory()
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    added, errors = [], []

    def add():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                added.append(
                    services.add_photo(offer, image=image_upload(), alt_text="Én", submit_key=key)
                )
        except Exception as exc:  # noqa: BLE001 (any failure is the test's finding)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert [p.pk for p in added][0] == [p.pk for p in added][1]
    assert OfferPhoto.objects.filter(offer=offer).count() == 1
