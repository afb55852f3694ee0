"""Partnerships: a lasting collaboration between a municipality and a partner.

A partner is an association (``associations.Association``, screened as always) or one of the
municipality's own leisure institutions and youth clubs (``LeisureInstitution``): a
partnership points at exactly one of them (``partnerships_partnership_one_partner``), so
there is no second copy of the association model.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Offer
from municipalities.models import Municipality
from municipalities.tenancy import TenantQuerySet
from portal.submitkeys import submit_key_field, submitted_once
from schools.models import School
from screening.checks import AutomaticCheck, CheckRow
from screening.models import ReasonScope, Screenable

#: A partnership runs typically 2-3 years; the portal accepts from one month to six years.
MIN_DAYS = 28
MAX_YEARS = 6


class LeisureInstitution(models.Model):
    """A municipal leisure institution, leisure centre or youth club (fritidsinstitution,
    fritidscenter, klub): a partner the municipality runs itself, so it is not screened."""

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("Leisure institution")
        CENTRE = "centre", _("Leisure centre")
        CLUB = "club", _("Youth club")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="leisure_institutions",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("leisure institution or club")
        verbose_name_plural = _("leisure institutions and clubs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="partnerships_institution_unique_name",
                violation_error_message=_(
                    "The municipality already has an institution by this name."
                ),
            )
        ]

    def __str__(self):
        return self.name


class FocusArea(models.Model):
    """One of a municipality's focus areas, data it edits in the admin: the areas a
    partnership's action plan works on (seed 002), or the target areas of a school–leisure
    collaboration (seed 001). ``focus.create_defaults`` gives a municipality both lists."""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership focus area")
        SCHOOL_LEISURE = "school_leisure", _("School–leisure target area")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="focus_areas",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["municipality", "kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "name"],
                name="partnerships_focusarea_unique_name",
                violation_error_message=_("The municipality already has this focus area."),
            )
        ]

    def __str__(self):
        return self.name


class PartnershipState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class PartnershipQuerySet(TenantQuerySet):
    def for_association(self, association):
        return self.filter(association=association)

    def for_school(self, school):
        return self.filter(schools=school)


class Partnership(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("municipality"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("association"),
    )
    institution = models.ForeignKey(
        LeisureInstitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("leisure institution or club"),
    )
    schools = models.ManyToManyField(
        School, blank=True, related_name="partnerships", verbose_name=_("schools")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    # Required in the admin; a consultant who deletes their account leaves it empty (the
    # person is removed, the partnership stays), so the page asks for a new one.
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="partnerships_as_contact",
        verbose_name=_("municipal contact person"),
        help_text=_("The consultant the partner turns to."),
    )
    yearly_grant = models.PositiveIntegerField(_("yearly grant (DKK)"), null=True, blank=True)
    resource_name = models.CharField(_("resource person"), max_length=150)
    resource_email = models.EmailField(_("resource person's e-mail"))
    resource_phone = models.CharField(_("resource person's phone"), max_length=30, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PartnershipState.choices,
        default=PartnershipState.PROPOSED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(association__isnull=False, institution__isnull=True)
                    | Q(association__isnull=True, institution__isnull=False)
                ),
                name="partnerships_partnership_one_partner",
                violation_error_message=_(
                    "Choose the partner: an association or a leisure institution, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="partnerships_partnership_ends_after_start",
                violation_error_message=_("The partnership must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(yearly_grant__gte=0) | Q(yearly_grant__isnull=True),
                name="partnerships_partnership_grant_not_negative",
                violation_error_message=_("The yearly grant cannot be negative."),
            ),
        ]

    def __str__(self):
        return str(self.partner)

    @property
    def partner(self):
        return self.association or self.institution

    # What screening.services.record() needs to write the audit trail of a partnership.
    live = property(lambda self: self)
    is_revision = False

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on:
            errors.update(period_errors(self.starts_on, self.ends_on))
        if self.municipality_id:
            errors.update(self._tenant_errors())
        if errors:
            raise ValidationError(errors)

    def _tenant_errors(self) -> dict:
        """Partner, schools and contact must all belong to the partnership's municipality."""
        errors = {}
        m = self.municipality
        if self.association_id and not self.association.municipalities.filter(pk=m.pk).exists():
            errors["association"] = _("The association does not offer in this municipality.")
        if self.institution_id and self.institution.municipality_id != m.pk:
            errors["institution"] = _("The institution belongs to another municipality.")
        if self.contact_id and getattr(self.contact, "consultant_municipality", None) != m:
            errors["contact"] = _("The contact person must be a consultant of the municipality.")
        return errors


def period_errors(starts_on: date, ends_on: date) -> dict:
    """The period's rule: it ends after it starts, lasts from a month up to six years."""
    if ends_on <= starts_on:
        return {"ends_on": _("The partnership must end after it starts.")}
    if (ends_on - starts_on).days < MIN_DAYS:
        return {"ends_on": _("A partnership lasts at least a month.")}
    if ends_on > _add_years(starts_on, MAX_YEARS):
        return {"ends_on": _("A partnership lasts at most six years; agree on a new one then.")}
    return {}


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- The action plan ------------------------------------------------------------------------


@dataclass
class PlanOwner:
    """Who hears the screening's decisions on an action plan: the partner's resource person
    (``screening_owner`` must answer name, contact name and contact e-mail)."""

    name: str
    contact_name: str
    contact_email: str


class ActionPlanQuerySet(TenantQuerySet):
    municipality_lookup = "partnership__municipality"

    def live(self):
        return self.filter(revision_of__isnull=True)

    def for_association(self, association):
        return self.filter(partnership__association=association)


class ActionPlan(Screenable):
    """A partnership's action plan (handleplan, seed 002): goals and activities per chosen
    focus area, written by the partner and screened by the municipality's consultants through
    the screening workflow like an offer (an edit of an approved plan is a revision; goals and
    activities follow it, ``FOLLOWS_REVISIONS``)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="action_plans",
        verbose_name=_("partnership"),
    )
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    title = models.CharField(_("title"), max_length=150)
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="action_plans", verbose_name=_("focus areas")
    )

    objects = ActionPlanQuerySet.as_manager()
    #: A plan is talked through with the partner; an offer's instructor and certificate
    #: boxes do not apply (its goals per focus area are checked automatically).
    MANUAL_CHECKS = ("dialogue_held",)
    CHECK_LABELS = {"dialogue_held": _("dialogue held with the partner")}
    REJECTION_SCOPE = ReasonScope.PLANS

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return self.title

    def screening_municipalities(self) -> list:
        return [self.live.partnership.municipality]

    def screening_owner(self) -> PlanOwner:
        p = self.live.partnership
        return PlanOwner(str(p.partner), p.resource_name, p.resource_email)

    def screening_owner_url(self) -> str:
        association = self.live.partnership.association
        if association is None:  # an institution's plan, written by the consultant for it
            return ""
        return reverse("partnerships:association", args=[association.slug])

    def screening_sender_hears(self, user) -> bool:
        association = self.live.partnership.association
        return association is not None and association.memberships.filter(user=user).exists()

    def compared_parts(self) -> dict:
        """The goals and activities as text, one line each in a stable order (the copies in
        an edit have other ids), for the screening's diff of a resubmission or an edit."""
        goals = sorted(
            (
                g.focus_area.position,
                f"{g.focus_area.name}: {g.description} ({g.indicator}: {g.target})",
            )
            for g in self.goals.select_related("focus_area")
        )
        activities = sorted(
            (
                a.focus_area.position,
                f"{a.focus_area.name}: {a.what} ({a.who}, {a.when}"
                + (f", {a.offer.title})" if a.offer else ")"),
            )
            for a in self.activities.select_related("focus_area", "offer")
        )
        return {
            "goals": (_("goals"), "\n".join(text for _position, text in goals)),
            "activities": (_("activities"), "\n".join(text for _position, text in activities)),
        }

    def automatic_checks(self) -> list:
        """Every chosen focus area has a goal with an indicator and a target, and an
        activity."""
        check = AutomaticCheck(
            title=str(_("Goals and activities per focus area")),
            columns=[str(_("focus area")), str(_("goals")), str(_("activities"))],
            empty=str(_("No focus area is chosen.")),
        )
        goals = list(self.goals.all())
        activities = list(self.activities.all())
        for area in self.focus_areas.all():
            n_goals = sum(1 for g in goals if g.focus_area_id == area.pk)
            n_activities = sum(1 for a in activities if a.focus_area_id == area.pk)
            ok = n_goals > 0 and n_activities > 0
            why = "" if ok else str(_("A goal and an activity are needed."))
            check.rows.append(CheckRow(area, [area.name, n_goals, n_activities], ok, why))
        return [check]


class Goal(models.Model):
    """What the partner wants to reach in one focus area, and how it is measured."""

    FOLLOWS_REVISIONS = True

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("action plan")
    )
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("focus area")
    )
    description = models.TextField(_("goal"), max_length=1000)
    indicator = models.CharField(
        _("indicator"),
        max_length=200,
        help_text=_("What is counted or measured, e.g. volunteers who completed a course."),
    )
    target = models.CharField(
        _("target"), max_length=100, help_text=_("The value to reach, e.g. 12 by June 2027.")
    )
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["focus_area__position", "id"]
        constraints = [submitted_once("plan", "partnerships_goal_submitted_once")]

    def __str__(self):
        return self.description[:80]


class Activity(models.Model):
    """What is done for a focus area: what, who, when, and perhaps one of the partner's
    offers to schools."""

    FOLLOWS_REVISIONS = True

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("action plan"),
    )
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("focus area")
    )
    what = models.TextField(_("what"), max_length=1000)
    who = models.CharField(_("who"), max_length=200)
    when = models.CharField(
        _("when"), max_length=100, help_text=_("e.g. every Tuesday, spring 2027")
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer"),
    )
    submit_key = submit_key_field()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["focus_area__position", "id"]
        constraints = [submitted_once("plan", "partnerships_activity_submitted_once")]

    def __str__(self):
        return self.what[:80]


# --- Yearly figures (issue 21, step 6; services in ``figures.py``) ---------------------------

#: No partner association has more members or volunteers than this (Copenhagen's 25
#: partnership associations had about 18,340 members under 25 together, seed 002).
MAX_MEMBERS = 100_000
MAX_VOLUNTEERS = 10_000


class YearlyFiguresQuerySet(TenantQuerySet):
    municipality_lookup = "partnership__municipality"


class YearlyFigures(models.Model):
    """A partner association's member figures for one calendar year, as at the end of the
    year (seed 002: "ved udgangen af 2022"). One row per partnership and year: correcting the
    figures changes this row (``figures.report``)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="yearly_figures",
        verbose_name=_("partnership"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    members_under_18 = models.PositiveIntegerField(_("members under 18"))
    members_under_25 = models.PositiveIntegerField(
        _("members under 25"), help_text=_("All members under 25, those under 18 included.")
    )
    volunteers = models.PositiveIntegerField(_("volunteers and trainers"))
    members_target_areas = models.PositiveIntegerField(
        _("members from the target areas"),
        null=True,
        blank=True,
        help_text=_("Optional: members under 25 who live in the municipality's target areas."),
    )
    # The person who reported or last corrected the figures: removed (not the figures) when
    # their account is deleted (privacy.services.delete_account keeps an anonymous row).
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = YearlyFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["partnership", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"],
                name="partnerships_figures_one_per_year",
                violation_error_message=_("The figures of this year are already reported."),
            ),
            models.CheckConstraint(
                condition=Q(members_under_18__lte=F("members_under_25")),
                name="partnerships_figures_under_18_within_under_25",
                violation_error_message=_(
                    "Members under 18 are also under 25: there cannot be more of them."
                ),
            ),
            models.CheckConstraint(
                condition=Q(members_target_areas__isnull=True)
                | Q(members_target_areas__lte=F("members_under_25")),
                name="partnerships_figures_target_areas_within_under_25",
                violation_error_message=_(
                    "Members from the target areas cannot be more than the members under 25."
                ),
            ),
            models.CheckConstraint(
                condition=Q(members_under_25__lte=MAX_MEMBERS)
                & Q(volunteers__lte=MAX_VOLUNTEERS)
                & Q(year__gte=2000)
                & Q(year__lte=2100),
                name="partnerships_figures_within_bounds",
                violation_error_message=_("The figures are out of range."),
            ),
        ]

    def __str__(self):
        return f"{self.partnership} {self.year}"


# Network meetings and events, and status meetings, live in their own modules; imported here
# so that Django finds their models in this app.
from .meetings import GoalStatus, MeetingParticipant, StatusMeeting  # noqa: E402, F401
from .network.models import (  # noqa: E402, F401
    EventInvitation,
    NetworkEvent,
    Registration,
)
