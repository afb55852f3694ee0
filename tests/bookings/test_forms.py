"""The booking form: who may be the contact teacher."""

import pytest

from bookings.forms import booking_request_form
from bookings.models import Occasion
from tests import factories as f

pytestmark = pytest.mark.django_db


def data(school, contact, occasion):
    return {
        "school": str(school.pk),
        "occasion": str(occasion.pk),
        "classes": "5.A",
        "class_count": "1",
        "grade": "5",
        "pupils": "20",
        "contact_teacher": str(contact.pk),
    }


@pytest.fixture
def dated_offer(association):
    offer = f.OfferFactory(association=association, published=True, on_request=False)
    f.OccasionFactory(offer=offer)
    return offer


def form(user, offer, payload):
    occasions = Occasion.objects.filter(offer=offer)
    return booking_request_form(payload, offer=offer, user=user, occasions=occasions)


def test_with_two_schools_the_contact_must_work_at_the_chosen_one(
    school, other_school, dated_offer
):
    leader = f.SchoolMembershipFactory(school=school, role="principal").user
    f.SchoolMembershipFactory(school=other_school, user=leader, role="principal")
    elsewhere = f.SchoolMembershipFactory(school=other_school, role="teacher").user
    occasion = dated_offer.occasions.first()
    refused = form(leader, dated_offer, data(school, elsewhere, occasion))
    assert not refused.is_valid()
    assert "contact_teacher" in refused.errors
    assert form(leader, dated_offer, data(other_school, elsewhere, occasion)).is_valid()


def test_with_one_school_only_its_staff_can_be_the_contact(school, other_school, dated_offer):
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    colleague = f.SchoolMembershipFactory(school=school, role="teacher").user
    stranger = f.SchoolMembershipFactory(school=other_school, role="teacher").user
    occasion = dated_offer.occasions.first()
    assert form(teacher, dated_offer, data(school, colleague, occasion)).is_valid()
    refused = form(teacher, dated_offer, data(school, stranger, occasion))
    assert not refused.is_valid()
    assert "contact_teacher" in refused.errors


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"grade": "2"}, "grade"),  # the offer is for grades 5-9
        ({"grade": "10"}, "grade"),
        ({"pupils": "500"}, "pupils"),  # at most 28 per class
        ({"pupils": "57", "class_count": "2"}, "pupils"),
        ({"pupils": "9"}, "pupils"),  # at least 10
    ],
)
def test_the_class_must_fit_the_offer(school, association, changes, field):
    offer = f.OfferFactory(
        association=association,
        published=True,
        on_request=False,
        grade_min=5,
        grade_max=9,
        pupils_min=10,
        pupils_max=28,
    )
    occasion = f.OccasionFactory(offer=offer)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    assert form(teacher, offer, data(school, teacher, occasion)).is_valid()
    assert form(
        teacher, offer, {**data(school, teacher, occasion), "pupils": "56", "class_count": "2"}
    ).is_valid()
    refused = form(teacher, offer, {**data(school, teacher, occasion), **changes})
    assert not refused.is_valid()
    assert list(refused.errors) == [field]


def test_the_services_refuse_a_class_the_offer_is_not_for(school, association):
    from django.core.exceptions import ValidationError

    from bookings import services

    offer = f.OfferFactory(association=association, published=True, grade_min=5, grade_max=9)
    occasion = f.OccasionFactory(offer=offer)
    teacher = f.SchoolMembershipFactory(school=school, role="teacher").user
    common = {"classes": "2.A", "class_count": 1, "grade": 2, "pupils": 20}
    with pytest.raises(ValidationError):
        services.request_booking(
            user=teacher,
            school=school,
            offer=offer,
            occasion=occasion,
            contact_teacher=teacher,
            **common,
        )
    with pytest.raises(ValidationError):
        services.join_waiting_list(user=teacher, school=school, occasion=occasion, **common)
    assert not occasion.bookings.exists()
