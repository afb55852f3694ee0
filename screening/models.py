from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import ScreeningState


class ReasonScope(models.TextChoices):
    """The kinds of item a rejection reason is offered for (``Screenable.REJECTION_SCOPE``)."""

    ALL = "all", _("Every kind")
    OFFERS = "offers", _("Offers and association profiles")
    PLANS = "plans", _("Action plans")
    KNOWLEDGE = "knowledge", _("Good examples and material")


class Screenable(models.Model):
    """Fields shared by everything a consultant screens (association profiles and offers).

    An approved item stays live while an edit of it is screened: the edit is a
    separate row whose ``revision_of`` points at the live one. Approving the
    edit copies it onto the live row (``screening.services``).
    """

    state = models.CharField(
        _("screening state"),
        max_length=20,
        choices=ScreeningState.choices,
        default=ScreeningState.DRAFT,
        db_index=True,
    )
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("edit of"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_expires_at = models.DateTimeField(_("approval expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    #: Whether an approval runs out after the municipality's period (``approval_valid_days``)
    #: and the item goes back for screening. The knowledge bank's material stays published.
    APPROVAL_EXPIRES = True
    #: The boxes of ``Review.CHECKS`` the consultant ticks for this kind of item (an offer's
    #: instructors and certificates mean nothing for an action plan or a good example).
    MANUAL_CHECKS: tuple[str, ...] = (
        "dialogue_held",
        "instructors_know_school_life",
        "certificates_confirmed",
        "practical_info_complete",
        "learning_goals_linked",
    )
    #: Other words for a box of ``MANUAL_CHECKS`` (an action plan's dialogue is with its
    #: partner, not with an association).
    CHECK_LABELS: dict[str, str] = {}
    #: The rejection reasons offered for this kind of item, besides those for every kind.
    REJECTION_SCOPE = ReasonScope.OFFERS

    class Meta:
        abstract = True

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None

    @classmethod
    def check_label(cls, name: str) -> str:
        """What the box ``name`` of the consultant's checklist says for this kind of item."""
        return cls.CHECK_LABELS.get(name) or Review._meta.get_field(name).verbose_name

    @property
    def live(self):
        """The row schools see: self, or the approved item this edit belongs to."""
        return self.revision_of if self.revision_of_id else self

    # What the screening needs to know of an item; each screened model answers.

    def screening_municipalities(self) -> list:
        """The municipalities whose consultants screen this item."""
        raise NotImplementedError

    def screening_owner(self):
        """The live party that submits the item and hears the decisions: an object with
        ``name``, ``contact_name`` and ``contact_email`` (an association, say)."""
        raise NotImplementedError

    def screening_owner_url(self) -> str:
        """Where the owner follows its submissions (a path on the portal), or "" when the
        owner has no page there (the decision e-mails then carry no link)."""
        raise NotImplementedError

    def automatic_checks(self) -> list:
        """The parts of the checklist the portal checks itself (``screening.checks``)."""
        return []

    def screening_sender_hears(self, user) -> bool:
        """May the user who sent the item hear the consultant's decisions and messages (as
        well as the owner's contact)? Yes, unless they are a consultant (who sent an
        institution's plan, say); an owner with members answers whether they still are one."""
        return getattr(user, "consultant_municipality", None) is None

    @classmethod
    def screening_alerts(cls, queryset) -> list[tuple[str, int, str]]:
        """Besides the waiting submissions, what in ``queryset`` (the consultant's rows) needs
        the consultant's eye: (label, count, query string of the admin list that shows them)."""
        return []

    def missing_for_submission(self) -> dict[str, str]:
        """What must be filled in before the item may be submitted: field name -> message.

        A draft may be saved half done; ``screening.services.transition`` refuses to submit
        it while anything is missing (``IncompleteSubmission``)."""
        return {}


class ScreeningEvent(models.Model):
    """The audit trail: every transition and every consultant edit. Read-only, never deleted.

    ``content_type``/``object_id`` point at the *live* item (for an edit of an approved
    item, the approved row), so the whole history of an offer is in one list.
    """

    class Visibility(models.TextChoices):
        ASSOCIATION = "association", _("Visible to the association")
        INTERNAL = "internal", _("Internal among consultants")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name=_("type")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    revision_id = models.PositiveBigIntegerField(_("edit"), null=True, blank=True)
    transition = models.CharField(_("action"), max_length=30, blank=True)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.ASSOCIATION
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("screening event")
        verbose_name_plural = _("screening events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.transition or 'note'}: {self.from_state} → {self.to_state}"


class RejectionReasonQuerySet(models.QuerySet):
    def for_municipality(self, municipality):
        if municipality is None:
            return self.none()
        return self.filter(municipality=municipality)

    def for_consultant(self, user):
        if user.is_superuser:
            return self
        return self.for_municipality(getattr(user, "consultant_municipality", None))

    def active(self):
        return self.filter(is_active=True)

    def for_item(self, item):
        """The reasons for rejecting ``item``: those for every kind and those for its kind."""
        return self.filter(applies_to__in=[ReasonScope.ALL, item.REJECTION_SCOPE])


class RejectionReason(models.Model):
    """A coded reason for rejecting a submission; each municipality keeps its own list, and
    each reason is offered for one kind of item or for all (a child certificate means
    nothing for an action plan)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="rejection_reasons",
        verbose_name=_("municipality"),
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.CharField(_("text"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    applies_to = models.CharField(
        _("offered for"), max_length=20, choices=ReasonScope.choices, default=ReasonScope.ALL
    )

    objects = RejectionReasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["municipality", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="screening_rejection_reason_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.code}: {self.text}"


class Review(models.Model):
    """The consultant's checklist for one round of screening of an item (or an edit of it).

    Like ``ScreeningEvent`` it points at the live item, with ``revision_id`` for an edit.
    A review is open until a decision closes it; the next submission opens a new one.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name=_("type")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    revision_id = models.PositiveBigIntegerField(_("edit"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consultant"),
    )
    dialogue_held = models.BooleanField(_("dialogue held with the association"), default=False)
    instructors_know_school_life = models.BooleanField(
        _("the instructors know school life"), default=False
    )
    certificates_confirmed = models.BooleanField(
        _("child certificates confirmed and within the municipality's limit"), default=False
    )
    practical_info_complete = models.BooleanField(
        _("practical information complete"), default=False
    )
    learning_goals_linked = models.BooleanField(_("linked to learning goals"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=30, blank=True)

    CHECKS = (
        "dialogue_held",
        "instructors_know_school_life",
        "certificates_confirmed",
        "practical_info_complete",
        "learning_goals_linked",
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "closed_at"])]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} ({self.created_at:%Y-%m-%d})"

    @property
    def all_checked(self) -> bool:
        return all(getattr(self, name) for name in self.CHECKS)
