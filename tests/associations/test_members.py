import re

import pytest
from django.core import mail
from django.urls import reverse

from associations import services
from associations.models import AssociationMembership, Invitation, JoinRequest
from tests import factories as f


def _invite(client, association, email, capture):
    with capture(execute=True):
        return client.post(
            reverse("associations:invite", args=[association.slug]), {"email": email}
        )


@pytest.mark.django_db
def test_invitation_round_trip(
    client, settings, association_admin, association, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    client.force_login(association_admin)
    response = _invite(client, association, "Ny@Example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny@example.com"]
    path = re.search(r"http://testserver(/association/invitation/[^\s\"<]+/)", mail.outbox[0].body)
    path = path.group(1)

    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and reverse("accounts:signup").encode() in page.content

    newcomer = f.UserFactory(email="ny@example.com")
    client.force_login(newcomer)
    response = client.post(path)
    assert response.status_code == 302
    membership = AssociationMembership.objects.get(user=newcomer, association=association)
    assert not membership.is_admin
    # The link works once.
    assert client.post(path).status_code == 400


@pytest.mark.django_db
def test_invitation_for_another_address_is_not_accepted(client, association, association_admin):
    invitation = services.invite(association, "ny@example.com", by=association_admin)
    token = services.invitation_token(invitation)
    intruder = f.UserFactory(email="intruder@example.com")
    client.force_login(intruder)
    client.post(reverse("associations:invitation", args=[token]))
    assert not AssociationMembership.objects.filter(user=intruder).exists()


@pytest.mark.django_db
def test_forged_or_revoked_invitation(client, association, association_admin):
    invitation = services.invite(association, "ny@example.com", by=association_admin)
    user = f.UserFactory(email="ny@example.com")
    client.force_login(user)
    assert client.get(reverse("associations:invitation", args=["1:forged"])).status_code == 400
    services.revoke_invitation(association, invitation.pk)
    token = services.invitation_token(invitation)
    assert client.post(reverse("associations:invitation", args=[token])).status_code == 400
    assert not AssociationMembership.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_only_admins_invite(client, association_member, association, stranger):
    for user, status in ((association_member, 403), (stranger, 404)):
        client.force_login(user)
        response = client.post(
            reverse("associations:invite", args=[association.slug]), {"email": "x@example.com"}
        )
        assert response.status_code == status
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_invitations_are_rate_limited(
    client, settings, association_admin, association, steady_clock
):
    limit = int(settings.PORTAL_INVITE_RATE.split("/")[0])
    client.force_login(association_admin)
    url = reverse("associations:invite", args=[association.slug])
    statuses = [
        client.post(url, {"email": f"p{i}@example.com"}).status_code for i in range(limit + 1)
    ]
    assert statuses[:limit] == [302] * limit and statuses[-1] == 429
    assert Invitation.objects.count() == limit


@pytest.mark.django_db
def test_admin_removes_and_promotes(client, association_admin, association_member, association):
    membership = AssociationMembership.objects.get(user=association_member)
    client.force_login(association_admin)
    client.post(
        reverse("associations:set_role", args=[association.slug, membership.pk]), {"role": "admin"}
    )
    membership.refresh_from_db()
    assert membership.is_admin
    client.post(reverse("associations:remove_member", args=[association.slug, membership.pk]))
    assert not AssociationMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_member_cannot_remove_or_promote_others(
    client, association_admin, association_member, association
):
    admin_ms = AssociationMembership.objects.get(user=association_admin)
    own = AssociationMembership.objects.get(user=association_member)
    client.force_login(association_member)
    url = reverse("associations:remove_member", args=[association.slug, admin_ms.pk])
    assert client.post(url).status_code == 403
    url = reverse("associations:set_role", args=[association.slug, own.pk])
    assert client.post(url, {"role": "admin"}).status_code == 403
    own.refresh_from_db()
    assert not own.is_admin and AssociationMembership.objects.filter(pk=admin_ms.pk).exists()


@pytest.mark.django_db
def test_member_may_leave(client, association_member, association):
    own = AssociationMembership.objects.get(user=association_member)
    client.force_login(association_member)
    client.post(reverse("associations:remove_member", args=[association.slug, own.pk]))
    assert not AssociationMembership.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_last_admin_cannot_leave_or_step_down(client, association_admin, association):
    own = AssociationMembership.objects.get(user=association_admin)
    client.force_login(association_admin)
    response = client.post(
        reverse("associations:remove_member", args=[association.slug, own.pk]), follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    client.post(
        reverse("associations:set_role", args=[association.slug, own.pk]), {"role": "member"}
    )
    own.refresh_from_db()
    assert own.is_admin


@pytest.mark.django_db
def test_join_request_approved_by_admin(
    client, stranger, association, association_admin, django_capture_on_commit_callbacks
):
    client.force_login(stranger)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("associations:join_request"),
            {"association": association.pk, "message": "Jeg er træner"},
        )
    join_request = JoinRequest.objects.get()
    assert mail.outbox and mail.outbox[0].to == [association_admin.email]
    # Asking twice is refused.
    client.post(reverse("associations:join_request"), {"association": association.pk})
    assert JoinRequest.objects.count() == 1

    client.force_login(association_admin)
    page = client.get(reverse("associations:detail", args=[association.slug])).content.decode()
    assert "Jeg er træner" in page
    client.post(
        reverse(
            "associations:decide_join_request", args=[association.slug, join_request.pk, "approve"]
        )
    )
    assert AssociationMembership.objects.filter(user=stranger, association=association).exists()


@pytest.mark.django_db
def test_join_request_declined(client, stranger, association, association_admin):
    join_request = services.request_to_join(stranger, association)
    client.force_login(association_admin)
    client.post(
        reverse(
            "associations:decide_join_request", args=[association.slug, join_request.pk, "decline"]
        )
    )
    join_request.refresh_from_db()
    assert join_request.approved is False
    assert not AssociationMembership.objects.filter(user=stranger).exists()


@pytest.mark.django_db
def test_member_cannot_decide_join_requests(client, stranger, association, association_member):
    join_request = services.request_to_join(stranger, association)
    client.force_login(association_member)
    url = reverse(
        "associations:decide_join_request", args=[association.slug, join_request.pk, "approve"]
    )
    assert client.post(url).status_code == 403
    assert not AssociationMembership.objects.filter(user=stranger).exists()


@pytest.mark.django_db
def test_admin_cannot_decide_another_associations_request(
    client, stranger, association, other_association_admin, other_association
):
    join_request = services.request_to_join(stranger, association)
    client.force_login(other_association_admin)
    url = reverse(
        "associations:decide_join_request",
        args=[other_association.slug, join_request.pk, "approve"],
    )
    client.post(url)
    join_request.refresh_from_db()
    assert join_request.decided_at is None
    assert not AssociationMembership.objects.filter(user=stranger).exists()


@pytest.mark.django_db
def test_unconfirmed_user_cannot_ask_to_join(client, association):
    user = f.UserFactory(email_confirmed_at=None)
    client.force_login(user)
    client.post(reverse("associations:join_request"), {"association": association.pk})
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_unknown_decision_is_404(client, stranger, association, association_admin):
    join_request = services.request_to_join(stranger, association)
    client.force_login(association_admin)
    url = reverse(
        "associations:decide_join_request", args=[association.slug, join_request.pk, "maybe"]
    )
    assert client.post(url).status_code == 404
    join_request.refresh_from_db()
    assert join_request.decided_at is None


@pytest.mark.django_db
def test_join_form_lists_only_approved_associations(stranger, association):
    from associations.forms import JoinRequestForm

    draft = f.AssociationFactory(state="draft", name="Hemmelig kladde")
    choices = list(JoinRequestForm(user=stranger).fields["association"].queryset)
    assert association in choices and draft not in choices
    form = JoinRequestForm({"association": draft.pk}, user=stranger)
    assert not form.is_valid()


@pytest.mark.django_db
def test_my_account_shows_invitations_requests_and_the_join_form(client, association):
    """ "My account" (accounts) shows the ways into an association through this app's tags."""
    other = f.AssociationFactory(name="Espergærde Spejderne", state="approved")
    user = f.UserFactory(email="ny@example.com")
    Invitation.objects.create(association=association, email="NY@example.com")
    JoinRequest.objects.create(association=other, user=user)
    client.force_login(user)
    page = client.get(reverse("accounts:home")).content.decode()
    assert association.name in page and reverse("associations:invitation_list") in page
    assert "Du har bedt om at blive medlem af Espergærde Spejderne" in page
    assert f'action="{reverse("associations:join_request")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
