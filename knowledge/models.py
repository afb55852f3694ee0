"""The knowledge bank: guides, checklists, templates and good examples (issue 22).

Everything in the bank is one ``Item`` of a municipality (its own material; ``shared`` shows
it to every municipality on the installation). An item is a ``Screenable``: a good example
proposed by a school or an association is screened by the consultants through the one
screening workflow (states, coded reasons, messages and internal notes, the diff of a
resubmission, the audit trail, the admin queue) before it is published; the consultant's own
material is submitted and approved by the consultant at once (``services.publish``), so the
audit trail holds it too. Approvals in the bank do not run out (``APPROVAL_EXPIRES``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Domain, Offer
from bookings.models import Booking
from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet
from partnerships.models import Partnership
from portal.submitkeys import submit_key_field, submitted_once
from portal.uploads import random_upload_path, validate_document, validate_image
from schools.models import GRADE_VALIDATORS, School
from screening.models import ReasonScope, Screenable
from screening.workflow import S


class PrivateFiles(FileSystemStorage):
    """Templates and pictures are stored outside the public media folder
    (``KNOWLEDGE_FILES_ROOT``, by default ``private`` beside ``MEDIA_ROOT``): a login-only
    template, or the picture of a draft that may show pupils, is served only through the
    download and picture views, which check who asks. Read from the settings on every use."""

    @property
    def base_location(self):
        root = getattr(settings, "KNOWLEDGE_FILES_ROOT", None)
        return str(root or Path(settings.MEDIA_ROOT).parent / "private")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_files = PrivateFiles()


def _private_storage():
    return private_files


class Category(models.Model):
    """A municipality's category of material (e.g. "Getting started", "Evaluation")."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="knowledge_categories",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=110)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="knowledge_category_unique_slug",
                violation_error_message=_("The municipality already has a category by this name."),
            )
        ]

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A municipality's keyword on material (e.g. "sports day", "grade 0–3")."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="knowledge_tags",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=70)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="knowledge_tag_unique_slug",
                violation_error_message=_("The municipality already has this tag."),
            )
        ]

    def __str__(self):
        return self.name


class Kind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    CHECKLIST = "checklist", _("Checklist")
    TEMPLATE = "template", _("Template")
    EXAMPLE = "example", _("Good example")


class Audience(models.TextChoices):
    BOTH = "both", _("Schools and associations")
    SCHOOLS = "schools", _("Schools")
    ASSOCIATIONS = "associations", _("Associations")


class Source(models.TextChoices):
    CONSULTANT = "consultant", _("The municipality")
    SCHOOL = "school", _("A school")
    ASSOCIATION = "association", _("An association")


class ItemQuerySet(TenantQuerySet):
    def live(self):
        return self.filter(revision_of__isnull=True)

    def published(self):
        return self.live().filter(state=S.APPROVED)

    def visible_to(self, user, municipalities):
        """Published items a visitor may see: of ``municipalities`` (the visitor's) or shared
        with every municipality, and only public ones for a visitor who is not logged in."""
        items = self.published().filter(Q(municipality__in=list(municipalities)) | Q(shared=True))
        if not getattr(user, "is_authenticated", False):
            items = items.filter(is_public=True)
        return items

    def proposed_by(self, user):
        return self.live().filter(proposed_by=user) if user.is_authenticated else self.none()


@dataclass
class ProposalOwner:
    """Who hears the screening's decisions (``screening_owner``)."""

    name: str
    contact_name: str
    contact_email: str


class Item(Screenable):
    """One piece of the knowledge bank."""

    APPROVAL_EXPIRES = False
    #: The consultant reads the story and looks at the pictures: no box of an offer's
    #: checklist (instructors, certificates) applies.
    MANUAL_CHECKS = ()
    REJECTION_SCOPE = ReasonScope.KNOWLEDGE

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="knowledge_items",
        verbose_name=_("municipality"),
    )
    shared = models.BooleanField(
        _("shared with every municipality"),
        default=False,
        help_text=_("Every municipality on the portal may show it, not only yours."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(
        _("text"),
        max_length=20000,
        blank=True,
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name=_("tags"))
    audience = models.CharField(
        _("for"), max_length=12, choices=Audience.choices, default=Audience.BOTH
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Visible without logging in. Otherwise only for logged-in users."),
    )
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices, blank=True)
    grade_min = models.PositiveSmallIntegerField(
        _("from grade"), null=True, blank=True, validators=GRADE_VALIDATORS
    )
    grade_max = models.PositiveSmallIntegerField(
        _("to grade"), null=True, blank=True, validators=GRADE_VALIDATORS
    )
    # A template's file: checked by its content, stored outside the public media folder.
    file = models.FileField(
        _("file"),
        upload_to=random_upload_path("knowledge"),
        storage=_private_storage,
        blank=True,
        max_length=200,
        validators=[validate_document],
        help_text=_("PDF, DOCX, XLSX or ODT, at most 10 MB."),
    )
    # A good example: where it came from.
    source = models.CharField(
        _("proposed by"), max_length=12, choices=Source.choices, default=Source.CONSULTANT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_proposals",
        verbose_name=_("proposer"),
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_examples",
        verbose_name=_("offer"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_examples",
        verbose_name=_("association"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_examples",
        verbose_name=_("school"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_examples",
        verbose_name=_("partnership"),
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_examples",
        verbose_name=_("booking"),
    )
    pupils = models.PositiveSmallIntegerField(
        _("pupils"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    school_rating = models.DecimalField(
        _("the school's rating (average)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    association_rating = models.DecimalField(
        _("the association's rating (average)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    search_document = SearchVectorField(null=True, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        ordering = ["-approved_at", "-created_at", "pk"]
        indexes = [models.Index(fields=["state", "municipality"], name="knowledge_item_state_m")]
        constraints = [
            # A second click on "Propose" finds the first proposal (services.propose).
            models.UniqueConstraint(
                fields=["booking", "source"],
                condition=Q(booking__isnull=False, revision_of__isnull=True),
                name="knowledge_item_one_per_booking_side",
            ),
            models.UniqueConstraint(
                fields=["partnership", "source"],
                condition=Q(
                    partnership__isnull=False, booking__isnull=True, revision_of__isnull=True
                ),
                name="knowledge_item_one_per_partnership_side",
            ),
            models.CheckConstraint(
                condition=Q(grade_min__isnull=True)
                | Q(grade_max__isnull=True)
                | Q(grade_min__lte=models.F("grade_max")),
                name="knowledge_item_grades_in_order",
                violation_error_message=_("The first grade must not be after the last."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:detail", args=[self.live.slug])

    @property
    def is_example(self) -> bool:
        return self.kind == Kind.EXAMPLE

    @property
    def is_proposal(self) -> bool:
        return self.source != Source.CONSULTANT

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        low, high = self.grade_min, self.grade_max
        if low is not None and high is not None and low > high:
            errors["grade_max"] = _("The first grade must not be after the last.")
        if self.kind == Kind.TEMPLATE and not self.file:
            errors["file"] = _("A template needs its file.")
        if self.source == Source.CONSULTANT:  # published as it is saved (services.publish)
            errors.update(self.missing_for_submission())
        if self._partnership_taken():
            errors["partnership"] = _(
                "The knowledge bank has this partnership's story from the same side already: "
                "edit that one."
            )
        category = self.category
        if category is not None and category.municipality_id != self.municipality_id:
            errors["category"] = _("Choose one of your municipality's categories.")
        if errors:
            raise ValidationError(errors)

    def _partnership_taken(self) -> bool:
        """Another item tells the same partnership from the same side
        (``knowledge_item_one_per_partnership_side``, which a form leaving out the side
        cannot check)."""
        if not self.partnership_id or self.booking_id or self.revision_of_id:
            return False
        return (
            Item.objects.filter(
                partnership_id=self.partnership_id,
                source=self.source,
                booking__isnull=True,
                revision_of__isnull=True,
            )
            .exclude(pk=self.pk)
            .exists()
        )

    # --- What the screening needs to know --------------------------------------------------

    def screening_municipalities(self) -> list:
        return [self.live.municipality]

    def screening_owner(self) -> ProposalOwner:
        live = self.live
        party = live.school or live.association or live.municipality
        person = live.proposed_by
        if person is not None and person.is_active:
            return ProposalOwner(str(party), person.get_full_name(), person.email)
        email = getattr(party, "email", "") or getattr(party, "contact_email", "")
        return ProposalOwner(str(party), str(party), email)

    def screening_owner_url(self) -> str:
        if self.live.is_proposal:
            return reverse("knowledge:proposal", args=[self.live.pk])
        return reverse("knowledge:list")

    def missing_for_submission(self) -> dict[str, str]:
        missing = {}
        if len(self.title.strip()) < 3:
            missing["title"] = str(_("Give it a title."))
        if self.is_proposal and len(self.body.strip()) < 40:
            missing["body"] = str(
                _("Tell the story: what you did and what worked (at least 40 characters).")
            )
        return missing


class ItemPhoto(models.Model):
    """A picture of a good example (checked and resized like an offer's photos)."""

    FOLLOWS_REVISIONS = True

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="photos", verbose_name=_("item")
    )
    image = models.ImageField(
        _("picture"),
        upload_to=random_upload_path("knowledge-photos"),
        storage=_private_storage,
        validators=[validate_image],
    )
    alt_text = models.CharField(
        _("description of the picture"),
        max_length=200,
        help_text=_("For people who cannot see the picture. Never name the pupils."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["position", "pk"]
        constraints = [submitted_once("item", "knowledge_itemphoto_submitted_once")]

    def __str__(self):
        return self.alt_text

    @property
    def url(self) -> str:
        """The picture's address: the picture view, which checks who asks (``PrivateFiles``)."""
        return reverse("knowledge:photo", args=[self.pk])
