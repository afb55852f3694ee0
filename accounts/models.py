"""Users log in with their e-mail address. What they may do comes from memberships.

Memberships live with the organisation they belong to:
``associations.AssociationMembership`` (member/admin), ``schools.SchoolMembership``
(teacher/department head/principal) and ``municipalities.Consultant``.
Superusers are for operators, not for daily work.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="da",
        help_text=_("The language of the e-mails you receive."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the admin site."),
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        indexes = [
            # Log-in, sign-up and e-mail recipients look addresses up case-insensitively
            # (email__iexact → UPPER(email)); without this each was a scan of every user.
            models.Index(Upper("email"), name="accounts_user_email_upper"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    # Role helpers: each kind read at most once per request, not at all when the cached
    # summary says the user has none of it (accounts.roles).
    @cached_property
    def roles(self):
        from .roles import for_user

        return for_user(self)

    @property
    def consultant_municipality(self):
        return self.roles.consultant_municipality

    @property
    def is_consultant(self) -> bool:
        return self.consultant_municipality is not None

    @property
    def active_school_memberships(self):
        return self.roles.school_memberships

    @property
    def is_school_staff(self) -> bool:
        return bool(self.active_school_memberships)

    @property
    def association_memberships(self):
        return self.roles.association_memberships

    @property
    def is_association_member(self) -> bool:
        return bool(self.association_memberships)
