"""The OpenID Connect authorization code flow with PKCE, state and nonce, per provider.

Why our own small flow instead of mozilla-django-oidc's views: that library reads one
provider from settings, but here each municipality has its own provider(s) in the
database. The flow is short, and the security-critical parts come from libraries:
authlib builds the request and exchanges the code (PKCE S256), joserfc verifies the
ID token's signature against the provider's JWKS and its claims (iss, aud, exp, nonce).
"""

import logging
import secrets
from dataclasses import dataclass

import requests
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from accounts.models import User
from associations.models import Association, AssociationMembership
from portal.forms import is_digits
from schools.models import School, SchoolMembership

from .models import OIDCIdentity, OIDCProvider

log = logging.getLogger(__name__)
SESSION_KEY = "sso_flows"
#: A pending login expires after this many seconds.
FLOW_MAX_AGE = 600


class SSOError(Exception):
    """The login could not be completed; the message is safe to show."""


@dataclass
class Claims:
    subject: str
    email_verified: bool
    email: str
    name: str
    school_key: str
    role: str
    cvr: str


def _get_json(url: str) -> dict:
    response = requests.get(url, timeout=settings.SSO_HTTP_TIMEOUT)
    response.raise_for_status()
    return response.json()


def discover(provider: OIDCProvider) -> dict:
    try:
        config = _get_json(provider.discovery_url)
    except (requests.RequestException, ValueError) as exc:
        log.warning("SSO discovery failed for provider %s: %s", provider.pk, type(exc).__name__)
        raise SSOError("discovery") from exc
    if config.get("issuer", "").rstrip("/") != provider.issuer.rstrip("/"):
        raise SSOError("issuer")
    return config


def _session(provider: OIDCProvider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=provider.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def start_login(request, provider: OIDCProvider, redirect_uri: str, next_url: str) -> str:
    """Remember state, nonce and PKCE verifier in the session; return the provider's URL."""
    config = discover(provider)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    url, _state = _session(provider, redirect_uri).create_authorization_url(
        config["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    flows = request.session.get(SESSION_KEY, {})
    # Keep only recent flows so a session never grows without bound.
    now = timezone.now().timestamp()
    flows = {k: v for k, v in flows.items() if now - v["started"] < FLOW_MAX_AGE}
    flows[state] = {
        "provider": provider.pk,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "next": next_url,
        "started": now,
    }
    request.session[SESSION_KEY] = flows
    return url


def pop_flow(request, state: str) -> dict:
    flows = request.session.get(SESSION_KEY, {})
    flow = flows.pop(state, None) if state else None
    request.session[SESSION_KEY] = flows
    if flow is None or timezone.now().timestamp() - flow["started"] > FLOW_MAX_AGE:
        raise SSOError("state")
    return flow


def finish_login(flow: dict, code: str) -> tuple[User, OIDCProvider]:
    """Exchange the code, verify the ID token and create or update the user."""
    provider = OIDCProvider.objects.enabled().filter(pk=flow["provider"]).first()
    if provider is None:
        raise SSOError("provider")
    config = discover(provider)
    try:
        token = _session(provider, flow["redirect_uri"]).fetch_token(
            config["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=flow["verifier"],
            timeout=settings.SSO_HTTP_TIMEOUT,
        )
    except Exception as exc:  # authlib raises several error types; none may leak the secret
        log.warning(
            "SSO token exchange failed for provider %s: %s", provider.pk, type(exc).__name__
        )
        raise SSOError("token") from exc
    claims = verify_id_token(provider, config, token.get("id_token", ""), flow["nonce"])
    if "userinfo_endpoint" in config and token.get("access_token"):
        claims = {**_userinfo(config, token["access_token"], claims["sub"]), **claims}
    return provision(provider, extract_claims(provider, claims)), provider


def verify_id_token(provider: OIDCProvider, config: dict, id_token: str, nonce: str) -> dict:
    if not id_token:
        raise SSOError("id_token")
    try:
        keys = KeySet.import_key_set(_get_json(config["jwks_uri"]))
        algorithms = config.get("id_token_signing_alg_values_supported") or ["RS256"]
        decoded = jwt.decode(id_token, keys, algorithms=[a for a in algorithms if a != "none"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": config["issuer"]},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(decoded.claims)
    except (JoseError, ValueError, KeyError, requests.RequestException) as exc:
        log.warning("SSO ID token rejected for provider %s: %s", provider.pk, type(exc).__name__)
        raise SSOError("id_token") from exc
    return dict(decoded.claims)


def _userinfo(config: dict, access_token: str, sub: str) -> dict:
    try:
        response = requests.get(
            config["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.SSO_HTTP_TIMEOUT,
        )
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError):
        return {}
    # The userinfo must describe the same person as the ID token.
    return info if info.get("sub") == sub else {}


def extract_claims(provider: OIDCProvider, claims: dict) -> Claims:
    def text(name: str) -> str:
        value = claims.get(name, "") if name else ""
        return str(value).strip() if value is not None else ""

    email = text(provider.email_claim).lower()
    if "@" not in email:
        raise SSOError("email")
    return Claims(
        subject=text("sub"),
        email_verified=claims.get("email_verified") is True,
        email=email,
        name=text(provider.name_claim)[:150],
        school_key=text(provider.school_claim),
        role=OIDCProvider.role_from_claim(text(provider.role_claim)),
        cvr=text(provider.cvr_claim),
    )


@transaction.atomic
def provision(provider: OIDCProvider, claims: Claims) -> User:
    """Create or update the user and the memberships the provider vouches for.

    The account is the one bound to the provider's ``sub``. An existing account with the same
    e-mail is bound only when the provider says the address is verified, and never when the
    account has powers the provider cannot vouch for (operators, staff, consultants).
    """
    if not claims.subject:
        raise SSOError("id_token")
    identity = (
        OIDCIdentity.objects.select_related("user")
        .filter(provider=provider, subject=claims.subject)
        .first()
    )
    if identity is not None:
        user = User.objects.select_for_update().get(pk=identity.user_id)
    else:
        user = User.objects.select_for_update().filter(email__iexact=claims.email).first()
        if user is None:
            user = User.objects.create_user(
                email=claims.email, full_name=claims.name or claims.email
            )
            user.set_unusable_password()
        elif not claims.email_verified or user.is_staff or user.is_superuser or user.is_consultant:
            raise SSOError("link")
        OIDCIdentity.objects.create(provider=provider, subject=claims.subject, user=user)
    if not user.is_active:
        raise SSOError("inactive")
    if claims.name:
        user.full_name = claims.name
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()  # the provider has confirmed the address
    user.save()

    municipality = provider.municipality
    if claims.school_key:
        # Identity brokers name schools by institution number; the slug is our own name.
        key = claims.school_key
        match = {"institution_number": key} if is_digits(key) and len(key) == 6 else {"slug": key}
        school = School.objects.active().for_municipality(municipality).filter(**match).first()
        if school is not None:
            SchoolMembership.objects.update_or_create(
                user=user,
                school=school,
                defaults={"role": claims.role, "is_approved": True},
                create_defaults={
                    "role": claims.role,
                    "is_approved": True,
                    "approved_at": timezone.now(),
                },
            )
            SchoolMembership.objects.filter(
                user=user, school=school, approved_at__isnull=True
            ).update(approved_at=timezone.now())
    if claims.cvr:
        association = (
            Association.objects.live().for_municipality(municipality).filter(cvr=claims.cvr).first()
        )
        if association is not None:
            AssociationMembership.objects.get_or_create(user=user, association=association)
    return user
