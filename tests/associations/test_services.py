import pytest
from django.db import IntegrityError, transaction

from associations import services
from associations.models import Association, AssociationMembership, JoinRequest
from screening.workflow import ScreeningState as S
from screening.workflow import TransitionNotAllowed
from tests import factories as f


@pytest.mark.django_db
def test_unique_slug_avoids_taken_and_reserved_words(association):
    assert services.unique_slug(Association, "New") == "new-2"
    taken = services.unique_slug(Association, association.name)
    assert taken != association.slug and taken.startswith(association.slug)
    assert services.unique_slug(Association, "Helsingør Kajakklub") == "helsingoer-kajakklub"


@pytest.mark.django_db
def test_get_absolute_url_points_at_the_catalog(association):
    assert association.get_absolute_url() == f"/associations/{association.slug}/"


@pytest.mark.django_db
def test_only_one_pending_join_request_per_user(association, association_member):
    user = f.UserFactory()
    JoinRequest.objects.create(user=user, association=association)
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.create(user=user, association=association)
    with pytest.raises(services.MembershipError):
        services.request_to_join(association_member, association)


@pytest.mark.django_db
def test_two_admins_one_may_go(association, association_admin):
    second = f.AssociationMembershipFactory(association=association, role="admin")
    first = AssociationMembership.objects.get(user=association_admin)
    services.remove_member(association, first.pk, by=association_admin)
    with pytest.raises(services.MembershipError):
        services.remove_member(association, second.pk, by=second.user)
    with pytest.raises(services.MembershipError):
        services.set_role(association, second.pk, "member", by=second.user)


@pytest.mark.django_db
def test_membership_changes_only_within_the_association(association, other_association_admin):
    foreign = AssociationMembership.objects.get(user=other_association_admin)
    with pytest.raises(services.MembershipError):
        services.remove_member(association, foreign.pk, by=None)


@pytest.mark.django_db
def test_invite_existing_member_is_refused(association, association_admin, association_member):
    with pytest.raises(services.MembershipError):
        services.invite(association, association_member.email.upper(), by=association_admin)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "editable"),
    [
        (S.DRAFT, "self"),
        (S.CHANGES_REQUESTED, "self"),
        (S.APPROVED, "edit"),
        (S.SUSPENDED, "edit"),
        (S.EXPIRED, "edit"),
        (S.SUBMITTED, None),
        (S.IN_REVIEW, None),
        (S.WITHDRAWN, None),
        (S.REJECTED, None),
    ],
)
def test_editable_version(association, association_member, state, editable):
    offer = f.OfferFactory(association=association, state=state)
    if editable is None:
        with pytest.raises(TransitionNotAllowed):
            services.editable_version(offer, by=association_member)
        assert not services.can_edit(offer)
        return
    version = services.editable_version(offer, by=association_member)
    assert services.can_edit(offer)
    if editable == "self":
        assert version == offer
    else:
        assert version.revision_of == offer and version.state == S.DRAFT
        # Asking again returns the same edit, not a second one.
        assert services.editable_version(offer, by=association_member) == version


@pytest.mark.django_db
def test_withdraw_drops_a_pending_edit_too(association, association_member, published_offer):
    edit = services.editable_version(published_offer, by=association_member)
    services.withdraw(published_offer, by=association_member)
    edit.refresh_from_db()
    published_offer.refresh_from_db()
    assert edit.state == S.WITHDRAWN and published_offer.state == S.WITHDRAWN


@pytest.mark.django_db
def test_pause_is_recorded_and_idempotent(association_member, published_offer):
    from screening.services import history

    services.set_paused(published_offer, True, by=association_member)
    services.set_paused(published_offer, True, by=association_member)
    assert [e.transition for e in history(published_offer)] == ["pause"]


@pytest.mark.django_db
def test_approving_an_edit_with_an_uncertified_instructor_unpublishes(
    association_member, published_offer
):
    from associations.models import Offer
    from screening.services import transition
    from screening.workflow import Transition

    uncertified = f.InstructorFactory(
        association=published_offer.association,
        child_certificate_confirmed=False,
        child_certificate_date=None,
    )
    edit = services.editable_version(published_offer, by=association_member)
    edit.instructors.set([uncertified])
    transition(edit, Transition.SUBMIT)
    assert Offer.objects.published().get() == published_offer  # the approved one stays
    transition(edit, Transition.APPROVE)
    published_offer.refresh_from_db()
    assert published_offer.certificates_valid_until is None
    assert not Offer.objects.published().exists()


def test_certificate_check_flags_old_and_missing_certificates(association, municipality):
    offer = f.OfferFactory(association=association)
    assert not services.certificate_check(offer).passed  # no instructors
    fresh = f.InstructorFactory(association=association)
    offer.instructors.add(fresh)
    assert services.certificate_check(offer).passed
    old = f.InstructorFactory(association=association, child_certificate_date="2019-01-01")
    missing = f.InstructorFactory(
        association=association, child_certificate_confirmed=False, child_certificate_date=None
    )
    offer.instructors.add(old, missing)
    check = services.certificate_check(offer)
    assert not check.passed
    assert {r.subject.pk: r.ok for r in check.rows} == {
        fresh.pk: True,
        old.pk: False,
        missing.pk: False,
    }
    assert f"{municipality.child_certificate_max_age.days} dage" in check.title
    # The checklist says which instructor fails and why.
    reasons = {r.subject.pk: r.why for r in check.failures}
    assert reasons[old.pk].startswith("attesten er ældre end")
    assert reasons[missing.pk] == "ingen bekræftet attestdato"
