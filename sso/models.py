"""OpenID Connect providers, configured per municipality by an operator in the admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet
from schools.models import SchoolRole


class OIDCProviderQuerySet(TenantQuerySet):
    def enabled(self):
        return self.filter(is_enabled=True, municipality__is_active=True)


class OIDCProvider(models.Model):
    """A login broker (e.g. the national school login or the business login) for one municipality.

    The claim fields say where in the ID token (or userinfo) the portal finds the
    e-mail, the name and the membership: a school (the claim holds the school's slug),
    the role at that school, or an association (the claim holds its CVR number).
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="oidc_providers",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("name on the button"), max_length=80, help_text=_("E.g. UNI-Login or MitID Erhverv.")
    )
    issuer = models.URLField(
        _("issuer"),
        help_text=_(
            "The provider's issuer URL; its endpoints are read from "
            "<issuer>/.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = models.CharField(
        _("client secret"), max_length=500, help_text=_("Never shown in logs.")
    )
    scopes = models.CharField(_("scopes"), max_length=300, default="openid email profile")
    email_claim = models.CharField(
        _("claim with the e-mail address"), max_length=100, default="email"
    )
    name_claim = models.CharField(_("claim with the name"), max_length=100, default="name")
    school_claim = models.CharField(
        _("claim with the school"),
        max_length=100,
        blank=True,
        help_text=_(
            "The claim holds the school's institution number (six digits) or its slug in the "
            "portal. Empty: no school mapping."
        ),
    )
    role_claim = models.CharField(
        _("claim with the school role"),
        max_length=100,
        blank=True,
        help_text=_("Values: teacher, department_head or principal. Empty: teacher."),
    )
    cvr_claim = models.CharField(
        _("claim with the CVR number"),
        max_length=100,
        blank=True,
        help_text=_(
            "The person becomes a member of the association with this CVR number. "
            "Empty: no association mapping."
        ),
    )
    is_enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OIDCProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("OpenID Connect provider")
        verbose_name_plural = _("OpenID Connect providers")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="sso_provider_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality})"

    def __repr__(self):  # never the secret
        return f"<OIDCProvider {self.pk} {self.name!r} {self.issuer!r}>"

    def clean(self):
        super().clean()
        if "openid" not in self.scopes.split():
            raise ValidationError({"scopes": _("The scopes must include openid.")})

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @staticmethod
    def role_from_claim(value) -> str:
        return value if value in SchoolRole.values else SchoolRole.TEACHER


class OIDCIdentity(models.Model):
    """A person at a provider (its ``sub``), bound to one local account.

    The account is found by this binding, never by e-mail alone, so a provider cannot log in
    as somebody else's account by asserting their address.
    """

    provider = models.ForeignKey(
        OIDCProvider,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("login service"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identities",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("OpenID identity")
        verbose_name_plural = _("OpenID identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="sso_identity_unique_subject"
            )
        ]

    def __str__(self):
        return f"{self.provider}: {self.subject}"
