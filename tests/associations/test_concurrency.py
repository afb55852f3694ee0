"""Two admins removing each other at the same moment must not leave the association without one.

Without the row lock in `services.remove_member` this test fails (both removals succeed).
"""

import threading

import pytest
from django.db import connection

from associations import services
from associations.models import AssociationMembership
from tests import factories as f


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
