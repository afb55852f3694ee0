"""Business rules for associations and their offers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import screening.services as screening
from notifications.services import absolute_url, notify
from portal import formatting, generations
from portal.submitkeys import sent_before
from screening import rescreening
from screening.checks import AutomaticCheck, CheckRow
from screening.services import start_revision
from screening.workflow import EDITABLE_STATES, S, ScreeningState, Transition, TransitionNotAllowed

from . import caching
from .models import (
    Association,
    AssociationMembership,
    AssociationRole,
    Instructor,
    Invitation,
    JoinRequest,
    Offer,
    OfferPhoto,
)


def certificate_limit(association: Association) -> timedelta:
    """The strictest child-certificate limit among the municipalities the association offers in."""
    months = [m.child_certificate_max_age for m in association.municipalities.all()]
    return min(months) if months else timedelta(days=730)


def certificate_expiry(instructor: Instructor, limit: timedelta) -> date | None:
    if not instructor.child_certificate_confirmed or not instructor.child_certificate_date:
        return None
    return instructor.child_certificate_date + limit


#: The e-mail an association gets when an approved offer leaves the portal because a child
#: certificate ran out (registered in ``AssociationsConfig.ready()``).
CERTIFICATE_EXPIRED_KIND = "associations.certificate_expired"


@dataclass(frozen=True)
class ExpiredCertificate:
    """An instructor whose child certificate is older than the municipality allows."""

    instructor: Instructor
    #: The last day the certificate was accepted.
    valid_until: date
    limit_days: int


def expired_certificates(instructors, limit: timedelta, today: date | None = None):
    """The instructors (of an offer, say) whose child certificate ran out before ``today``.

    The same rule as ``Offer.certificates_valid_until`` (``refresh_certificate_validity``);
    a missing certificate is not "expired" (the offer was never shown with it).
    """
    today = today or timezone.localdate()
    found = []
    for instructor in instructors:
        expires = certificate_expiry(instructor, limit)
        if expires is not None and expires < today:
            found.append(ExpiredCertificate(instructor, expires, limit.days))
    return found


def instructor_certificate_expired(instructor: Instructor) -> ExpiredCertificate | None:
    """Whether this instructor's certificate is too old for the association's municipalities."""
    found = expired_certificates([instructor], certificate_limit(instructor.association))
    return found[0] if found else None


def offers_with_instructor(instructor: Instructor) -> list[Offer]:
    """The association's current offers that name the instructor (what an old certificate hides)."""
    return list(
        instructor.offers.live().exclude(state__in=[S.WITHDRAWN, S.REJECTED]).order_by("title")
    )


def hidden_by_certificates(offers, association: Association) -> dict[int, list[ExpiredCertificate]]:
    """Of these live offers of ``association``: those schools do not see because a child
    certificate ran out, each with the instructors whose certificate it is."""
    today = timezone.localdate()
    hidden = [offer for offer in offers if offer.is_hidden_by_certificates(today)]
    if not hidden:
        return {}
    limit = certificate_limit(association)
    return {
        offer.pk: expired_certificates(offer.instructors.all(), limit, today) for offer in hidden
    }


def names_of(expired: list[ExpiredCertificate]) -> str:
    """The instructors' names for a sentence: "Ole, Anna and Bo" in the current language."""
    return str(get_text_list([e.instructor.name for e in expired], _("and")))


def check_certificates_before_submit(offer: Offer) -> None:
    """An offer naming an instructor with a too old certificate cannot be submitted: it could
    not be shown anyway. Raises TransitionNotAllowed naming the instructors."""
    expired = expired_certificates(offer.instructors.all(), certificate_limit(offer.association))
    if expired:
        raise TransitionNotAllowed(
            ngettext(
                "The child certificate of %(names)s is older than the municipality allows "
                "(%(days)s days). Update it under Instructors, then submit the offer.",
                "The child certificates of %(names)s are older than the municipality allows "
                "(%(days)s days). Update them under Instructors, then submit the offer.",
                len(expired),
            )
            % {"names": names_of(expired), "days": expired[0].limit_days}
        )


def certificate_check(item: Association | Offer) -> AutomaticCheck:
    """The automatic part of the screening checklist: the child certificate of every
    instructor of an offer (or of every instructor of an association) is within the limit."""
    association = item.screening_owner()
    limit = certificate_limit(association)
    if isinstance(item, Offer):
        instructors = list(item.instructors.all())
    else:
        instructors = list(association.instructors.all())
    today = timezone.localdate()
    check = AutomaticCheck(
        title=_("Child certificates (checked automatically, limit %(days)s days)")
        % {"days": limit.days},
        columns=[_("Instructor"), _("Certificate date"), _("Valid until")],
        empty=_("No instructors are linked, so the certificates cannot be checked."),
    )
    for instructor in instructors:
        expires = certificate_expiry(instructor, limit)
        if expires is None:
            why = _("no confirmed certificate date")
        elif expires < today:
            why = _("the certificate is older than %(days)s days") % {"days": limit.days}
        else:
            why = ""
        check.rows.append(
            CheckRow(
                instructor,
                [instructor.name, instructor.child_certificate_date, expires],
                ok=not why,
                why=why,
            )
        )
    return check


def refresh_certificate_validity(offer: Offer) -> date | None:
    """Recompute when the offer's instructors' child certificates run out.

    An offer with no instructor, or with an instructor whose certificate is missing,
    is not valid at all (None): it cannot be published.
    """
    limit = certificate_limit(offer.association)
    instructors = list(offer.instructors.all())
    expiries = [certificate_expiry(i, limit) for i in instructors]
    valid_until = None if not expiries or None in expiries else min(expiries)
    if offer.certificates_valid_until != valid_until:
        offer.certificates_valid_until = valid_until
        Offer.objects.filter(pk=offer.pk).update(certificates_valid_until=valid_until)
        # The offer may have left (or joined) the public pages and the bookable offers.
        generations.bump(*caching.offer_changed(offer))
    return valid_until


def warn_certificates(today: date, before: date) -> int:
    """Warn associations whose approved offers' certificates run out before ``before``."""
    sent = 0
    for offer in Offer.objects.live().filter(
        state=S.APPROVED, certificates_valid_until__gte=today, certificates_valid_until__lte=before
    ):
        until = offer.certificates_valid_until
        if rescreening.remind(
            offer,
            template="screening_certificate_warning",
            key=f"screening.certificates:offer={offer.pk}:until={until}",
            context={"expires": until},
        ):
            sent += 1
    return sent


def expire_certificates(today: date) -> int:
    """Approved offers whose instructors' certificates are too old go back for screening.

    The association gets one e-mail for each time an offer leaves the portal this way (the
    outbox key names the expiry event), naming the instructors, with links to fix them.
    (An offer with a missing certificate is not published anyway; the consultant sees why.)
    """
    expired = 0
    offers = (
        Offer.objects.live()
        .filter(state=S.APPROVED)
        .select_related("association")
        .prefetch_related("instructors")
    )
    for offer in offers:
        valid_until = refresh_certificate_validity(offer)
        if valid_until is None or valid_until >= today:
            continue
        if rescreening.expire(
            Offer,
            offer.pk,
            reason="certificates",
            context=_certificate_email_context(offer, today),
            template="association_certificate_expired",
            kind=CERTIFICATE_EXPIRED_KIND,
        ):
            expired += 1
    return expired


def _certificate_email_context(offer: Offer, today: date) -> dict:
    """What the worker writes the e-mail from (``notifications.context``: the instructors are
    stored as references; the template links to each one's form)."""
    association = offer.association
    limit = certificate_limit(association)
    expired = expired_certificates(offer.instructors.all(), limit, today)
    return {
        "certificates": True,
        "instructors": [e.instructor for e in expired],
        "association_slug": association.slug,
        "limit_days": limit.days,
        "action_url": absolute_url(reverse("associations:detail", args=[association.slug])),
    }


def refresh_association_certificates(association: Association) -> None:
    for offer in association.offers.prefetch_related("instructors"):
        refresh_certificate_validity(offer)


def oldest_certificate(association: Association) -> date | None:
    return association.instructors.filter(child_certificate_confirmed=True).aggregate(
        oldest=Min("child_certificate_date")
    )["oldest"]


# --- Creating an association, members, invitations, requests to join ----------------------

#: Words the URLs use next to slugs (/associations/new/, /offers/calendar/, ...).
RESERVED_SLUGS = {"new", "join", "invitations", "invitation", "calendar", "favourites", "feed"}
INVITE_SALT = "associations.invitation"
INVITE_MAX_AGE = 14 * 24 * 3600


class MembershipError(Exception):
    """A membership change that would break a rule. The message is for users."""


def _slug_base(text: str, max_length: int) -> str:
    return formatting.slug(text)[: max_length - 8] or "x"


def unique_slug(model, text: str, *, max_length: int = 140, exclude_pk=None) -> str:
    base = _slug_base(text, max_length)
    slug, n = base, 1
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_association(*, user, instance: Association, municipalities) -> Association:
    """Save a new association (a draft) with ``user`` as its first administrator."""
    instance.slug = unique_slug(Association, instance.name, max_length=160)
    instance.updated_by = user
    instance.save()
    instance.municipalities.set(municipalities)
    AssociationMembership.objects.create(
        user=user, association=instance, role=AssociationRole.ADMIN
    )
    return instance


def _locked_memberships(association: Association):
    return list(
        AssociationMembership.objects.select_for_update()
        .filter(association=association)
        .order_by("pk")
    )


@transaction.atomic
def remove_member(association: Association, membership_id: int, *, by) -> None:
    memberships = _locked_memberships(association)
    target = next((m for m in memberships if m.pk == membership_id), None)
    if target is None:
        raise MembershipError(_("This person is not a member."))
    admins = [m for m in memberships if m.is_admin]
    if target.is_admin and len(admins) == 1:
        raise MembershipError(
            _("The association needs at least one administrator. Make someone else one first.")
        )
    target.delete()


@transaction.atomic
def set_role(association: Association, membership_id: int, role: str, *, by) -> None:
    memberships = _locked_memberships(association)
    target = next((m for m in memberships if m.pk == membership_id), None)
    if target is None:
        raise MembershipError(_("This person is not a member."))
    last_admin = target.is_admin and len([m for m in memberships if m.is_admin]) == 1
    if role != AssociationRole.ADMIN and last_admin:
        raise MembershipError(_("The association needs at least one administrator."))
    target.role = role
    target.save(update_fields=["role"])


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITE_SALT)


@transaction.atomic
def invite(association: Association, email: str, *, by) -> Invitation:
    email = email.strip().lower()
    if association.memberships.filter(user__email__iexact=email).exists():
        raise MembershipError(_("This person is a member already."))
    invitation = Invitation.objects.create(association=association, email=email, invited_by=by)
    path = reverse("associations:invitation", args=[invitation_token(invitation)])
    notify(
        kind="association_invitation",
        key=f"association-invitation:{invitation.pk}",
        to_email=email,
        template="association_invitation",
        context={
            "association_name": association.name,
            "invited_by": by.full_name,
            "action_url": absolute_url(path),
        },
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation in ``token``; raises MembershipError when it cannot be used."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_MAX_AGE)
    except signing.BadSignature as exc:
        raise MembershipError(_("The invitation link is broken or has expired.")) from exc
    invitation = (
        Invitation.objects.pending().select_related("association").filter(pk=data["i"]).first()
    )
    if invitation is None:
        raise MembershipError(_("The invitation has been used or withdrawn."))
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, user) -> AssociationMembership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise MembershipError(_("The invitation has been used or withdrawn."))
    if invitation.email.lower() != user.email.lower():
        raise MembershipError(
            _("The invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = AssociationMembership.objects.get_or_create(
        user=user, association=invitation.association
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def revoke_invitation(association: Association, invitation_id: int) -> None:
    association.invitations.pending().filter(pk=invitation_id).update(revoked_at=timezone.now())


@transaction.atomic
def request_to_join(user, association: Association, message: str = "") -> JoinRequest:
    if association.memberships.filter(user=user).exists():
        raise MembershipError(_("You are a member already."))
    if JoinRequest.objects.pending().filter(user=user, association=association).exists():
        raise MembershipError(_("You have asked already. The administrators decide."))
    join_request = JoinRequest.objects.create(user=user, association=association, message=message)
    path = reverse("associations:detail", args=[association.slug])
    for admin in association.memberships.filter(role=AssociationRole.ADMIN).select_related("user"):
        notify(
            kind="association_join_request",
            key=f"association-join-request:{join_request.pk}:{admin.user_id}",
            to_email=admin.user.email,
            template="association_join_request",
            context={
                "recipient_name": admin.user.full_name,
                "association_name": association.name,
                "requester": user.full_name,
                "action_url": absolute_url(path),
            },
            user=admin.user,
        )
    return join_request


@transaction.atomic
def decide_join_request(
    association: Association, join_request_id: int, *, approve: bool, by
) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update()
        .filter(association=association, pk=join_request_id)
        .first()
    )
    if join_request is None or join_request.decided_at:
        raise MembershipError(_("This request has been answered already."))
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.approved = approve
    join_request.save(update_fields=["decided_at", "decided_by", "approved"])
    if approve:
        AssociationMembership.objects.get_or_create(user=join_request.user, association=association)
    return join_request


# --- Editing screened items: drafts, edits of approved items, pause and withdraw ------------


#: An edit in one of these states is finished; any other edit is still under way.
CLOSED_REVISION_STATES = (S.APPROVED, S.WITHDRAWN, S.REJECTED)


def pending_revision(item):
    """An edit of an approved item that is not yet decided, if any."""
    return item.revisions.exclude(state__in=CLOSED_REVISION_STATES).first()


def current_version(item):
    """What members work on and preview: the pending edit, or the item itself."""
    return pending_revision(item) or item


def can_edit(item) -> bool:
    """Whether members may save changes now (directly, or as an edit of an approved item)."""
    revision = pending_revision(item)
    if revision is not None:
        return revision.state in EDITABLE_STATES
    return item.state in EDITABLE_STATES or item.state in (S.APPROVED, S.SUSPENDED, S.EXPIRED)


def editable_version(item, *, by):
    """The row to save an edit into: the item while it is a draft, else a (new) edit of it.

    Raises TransitionNotAllowed when the item is waiting for the consultant.
    """
    if item.state in EDITABLE_STATES:
        return item
    if item.state in (S.APPROVED, S.SUSPENDED, S.EXPIRED):
        revision = start_revision(item, by=by)
        if revision.state not in EDITABLE_STATES:
            raise TransitionNotAllowed(
                _("Your changes are waiting for screening. You can edit again afterwards.")
            )
        return revision
    raise TransitionNotAllowed(
        _("It cannot be edited while it is “%(state)s”.")
        % {"state": ScreeningState(item.state).label}
    )


def submit(item, *, by):
    """Submit the pending edit, or the item itself, for screening.

    Raises TransitionNotAllowed when an offer names an instructor whose child certificate is
    too old (``check_certificates_before_submit``).
    """
    version = current_version(item)
    if isinstance(version, Offer):
        check_certificates_before_submit(version)
    return screening.transition(version, Transition.SUBMIT, by=by)


@transaction.atomic
def withdraw(item, *, by):
    """Take an item off the portal (and drop any edit waiting for screening)."""
    revision = pending_revision(item)
    if revision is not None:
        screening.transition(revision, Transition.WITHDRAW, by=by)
    return screening.transition(item, Transition.WITHDRAW, by=by)


def reopen(item, *, by):
    return screening.transition(item, Transition.REOPEN, by=by)


@transaction.atomic
def set_paused(offer: Offer, paused: bool, *, by) -> Offer:
    """Pause or resume an offer; a paused offer is not shown to schools."""
    locked = Offer.objects.select_for_update().get(pk=offer.live.pk)
    if locked.is_paused != paused:
        locked.is_paused = paused
        locked.updated_by = by
        locked.save(update_fields=["is_paused", "updated_by", "updated_at"])
        screening.record(
            locked,
            transition="pause" if paused else "unpause",
            from_state=locked.state,
            to_state=locked.state,
            actor=by,
        )
    return locked


def create_offer(
    *, association: Association, instance: Offer, by, submit_key=None, save_m2m=None
) -> Offer:
    """Save a new offer as a draft (the first step of the offer form), with its subjects and
    instructors (``save_m2m``). The same form sent twice (``submit_key``) creates one offer:
    the second time the first one is returned."""
    instance.association = association
    instance.slug = unique_slug(Offer, instance.title)
    instance.updated_by = by
    instance.submit_key = submit_key
    try:
        with transaction.atomic():
            instance.save()
            if save_m2m is not None:
                save_m2m()
            after_offer_saved(instance)
    except IntegrityError:
        first = sent_before(Offer, submit_key, association=association)
        if first is None:
            raise
        return first
    return instance


@transaction.atomic
def save_offer_draft(offer: Offer, *, by, save_m2m=None) -> Offer:
    """Save one step of the offer form into ``offer`` (a draft, or the draft of an edit).

    A draft saves whatever is filled in; ``Offer.missing_for_submission`` decides at
    submission. An offer never approved takes its address from its title as it gets one.
    """
    if offer.approved_at is None and not offer.is_revision and not _slug_fits(offer):
        offer.slug = unique_slug(Offer, offer.title, exclude_pk=offer.pk)
    offer.updated_by = by
    offer.save()
    if save_m2m is not None:
        save_m2m()
    after_offer_saved(offer)
    return offer


def _slug_fits(offer: Offer) -> bool:
    base = _slug_base(offer.title, 140)
    return offer.slug == base or re.fullmatch(rf"{re.escape(base)}-\d+", offer.slug) is not None


def after_offer_saved(offer: Offer) -> None:
    refresh_certificate_validity(offer)


def after_instructors_changed(association: Association) -> None:
    refresh_association_certificates(association)


@transaction.atomic
def delete_instructor(instructor: Instructor) -> None:
    association = instructor.association
    instructor.delete()
    refresh_association_certificates(association)


@transaction.atomic
def add_photo(offer: Offer, *, image, alt_text: str, submit_key=None) -> OfferPhoto:
    """Add a photo to ``offer`` (a draft or an edit), at most ``OfferPhoto.MAX_PER_OFFER``.

    The same form sent again (``submit_key``: a double click) adds nothing and returns the
    photo it added. It is looked up before the insert, under the offer's lock (a second
    click waits there for the first to commit), so that its file is not stored twice.
    """
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if (first := sent_before(OfferPhoto, submit_key, offer=locked)) is not None:
        return first
    count = locked.photos.count()
    if count >= OfferPhoto.MAX_PER_OFFER:
        raise MembershipError(
            _("An offer can have at most %(n)s photos. Remove one first.")
            % {"n": OfferPhoto.MAX_PER_OFFER}
        )
    return OfferPhoto.objects.create(
        offer=locked, image=image, alt_text=alt_text, position=count, submit_key=submit_key
    )
