"""Mapping claims to users and memberships, and the provider admin. No provider needed."""

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from associations.models import AssociationMembership
from schools.models import SchoolMembership
from sso import services
from sso.models import OIDCProvider
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(municipality):
    return OIDCProvider.objects.create(
        municipality=municipality,
        name="Skolelogin",
        issuer="https://login.example",
        client_id="portal",
        client_secret="very-secret-value",
        school_claim="school",
        role_claim="role",
        cvr_claim="cvr",
    )


def claims(provider, **extra):
    return services.extract_claims(
        provider,
        {
            "sub": "anna-at-provider",
            "email_verified": True,
            "email": "Anna@Skole.example",
            "name": "Anna Andersen",
            **extra,
        },
    )


def test_school_of_another_municipality_is_not_mapped(provider, other_municipality):
    elsewhere = f.SchoolFactory(municipality=other_municipality, slug="fjern-skole")
    user = services.provision(provider, claims(provider, school=elsewhere.slug))
    assert user.email == "anna@skole.example"
    assert not SchoolMembership.objects.filter(user=user).exists()


def test_unknown_role_becomes_teacher_and_sso_approves(provider, school):
    user = services.provision(provider, claims(provider, school=school.slug, role="rektor"))
    membership = SchoolMembership.objects.get(user=user, school=school)
    assert membership.role == "teacher"
    assert membership.is_approved


def test_pending_membership_is_approved_by_the_broker(provider, school):
    user = f.UserFactory(email="anna@skole.example")
    f.SchoolMembershipFactory(user=user, school=school, is_approved=False, approved_at=None)
    services.provision(provider, claims(provider, school=school.slug, role="principal"))
    membership = SchoolMembership.objects.get(user=user, school=school)
    assert membership.is_approved and membership.approved_at
    assert membership.role == "principal"


def test_association_of_another_municipality_is_not_mapped(provider, other_municipality):
    elsewhere = f.AssociationFactory(municipalities=[other_municipality])
    user = services.provision(provider, claims(provider, cvr=elsewhere.cvr))
    assert not AssociationMembership.objects.filter(user=user).exists()


def test_association_membership_from_cvr(provider, association):
    user = services.provision(provider, claims(provider, cvr=association.cvr))
    membership = AssociationMembership.objects.get(user=user, association=association)
    assert membership.role == "member"  # admins are made by the association itself


def test_missing_email_is_refused(provider):
    with pytest.raises(services.SSOError):
        services.extract_claims(provider, {"name": "Uden Mail"})


def test_deactivated_user_is_refused(provider):
    f.UserFactory(email="anna@skole.example", is_active=False)
    with pytest.raises(services.SSOError):
        services.provision(provider, claims(provider))


def test_unreachable_provider_sends_back_to_login_with_a_message(client, municipality):
    provider = OIDCProvider.objects.create(
        municipality=municipality,
        name="Nede",
        issuer="http://127.0.0.1:9/",
        client_id="x",
        client_secret="y",
    )
    response = client.get(f"/login/sso/{provider.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert "kunne ikke nås" in response.content.decode()


def test_callback_without_a_started_login_is_refused(client, db):
    response = client.get("/login/sso/callback/?code=abc&state=xyz", follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "Prøv venligst igen" in response.content.decode()


def test_inactive_municipality_hides_its_providers(client, provider, municipality):
    municipality.is_active = False
    municipality.save()
    assert "Skolelogin" not in client.get("/login/sso/").content.decode()
    assert client.get(f"/login/sso/{provider.pk}/").status_code == 404


def test_buttons_tag_for_the_login_page(provider, rf: RequestFactory):
    request = rf.get("/login/?next=/school/")
    html = Template("{% load sso %}{% sso_buttons %}").render(RequestContext(request, {}))
    assert f"/login/sso/{provider.pk}/?next=/school/" in html
    assert "Log ind med Skolelogin" in html
    assert Template("{% load sso %}{% sso_buttons %}").render(Context({})).strip() != ""


def test_admin_never_shows_the_secret(client, provider):
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get(f"/admin/sso/oidcprovider/{provider.pk}/change/").content.decode()
    assert "very-secret-value" not in html
    # Saving without typing a new secret keeps the old one.
    response = client.post(
        f"/admin/sso/oidcprovider/{provider.pk}/change/",
        {
            "municipality": provider.municipality_id,
            "name": "Skolelogin 2",
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "client_secret": "",
            "scopes": "openid email profile",
            "email_claim": "email",
            "name_claim": "name",
            "school_claim": "",
            "role_claim": "",
            "cvr_claim": "",
            "is_enabled": "on",
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Skolelogin 2"
    assert provider.client_secret == "very-secret-value"


def test_admin_is_closed_to_users_without_access(client, provider, teacher, consultant):
    client.force_login(teacher)
    assert client.get(f"/admin/sso/oidcprovider/{provider.pk}/change/").status_code == 302
    client.force_login(consultant)
    assert client.get(f"/admin/sso/oidcprovider/{provider.pk}/change/").status_code in (302, 403)


@pytest.mark.django_db
def test_an_identity_is_bound_to_the_provider_subject(provider):
    from sso.models import OIDCIdentity

    claims = services.Claims(
        subject="abc",
        email_verified=False,
        email="new@skole.example",
        name="Ny",
        school_key="",
        role="teacher",
        cvr="",
    )
    user = services.provision(provider, claims)
    assert OIDCIdentity.objects.get(provider=provider, subject="abc").user == user
    # Later logins find the account by the subject, even if the e-mail changed.
    again = services.provision(
        provider, services.Claims(**{**claims.__dict__, "email": "other@skole.example"})
    )
    assert again == user


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["unverified", "operator", "consultant"])
def test_an_existing_account_is_not_taken_over_by_e_mail(provider, municipality, kind):
    if kind == "consultant":
        victim = f.ConsultantFactory(municipality=municipality).user
    else:
        victim = f.UserFactory(is_staff=kind == "operator", is_superuser=kind == "operator")
    claims = services.Claims(
        subject="evil",
        email_verified=kind != "unverified",
        email=victim.email,
        name="X",
        school_key="",
        role="teacher",
        cvr="",
    )
    with pytest.raises(services.SSOError):
        services.provision(provider, claims)


def test_school_found_by_institution_number(provider, school, other_municipality):
    school.institution_number = "280123"
    school.save()
    elsewhere = f.SchoolFactory(municipality=other_municipality, institution_number="280999")
    user = services.provision(provider, claims(provider, school="280123"))
    assert SchoolMembership.objects.get(user=user).school == school
    other = services.provision(
        provider, claims(provider, sub="bo", email="bo@skole.example", school="280999")
    )
    assert not SchoolMembership.objects.filter(user=other).exists()
    assert not SchoolMembership.objects.filter(school=elsewhere).exists()


def test_institution_numbers_are_six_digits_and_unique(municipality):
    from django.core.exceptions import ValidationError

    first = f.SchoolFactory(municipality=municipality, institution_number="280123")
    second = f.SchoolFactory(municipality=municipality)
    second.institution_number = "280123"
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert [e.code for e in exc.value.error_dict["__all__"]] == ["institution_number_taken"]
    second.institution_number = "28012"
    with pytest.raises(ValidationError):
        second.full_clean()
    second.institution_number = ""  # many schools may have none yet
    second.full_clean()
    assert first.institution_number == "280123"
