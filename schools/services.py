"""The needs board: schools post what they need, associations answer."""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, QuerySet

from associations.models import Association, Offer
from notifications.services import absolute_url, notify
from portal import generations
from portal.submitkeys import sent_before

from . import caching
from .models import NeedAnswer, School, SchoolNeed
from .permissions import association_municipality_ids, staff_schools

NEED_ANSWERED_KIND = "need_answered"


def needs_for_school(school: School) -> QuerySet:
    """A school's needs (open first, newest periods first), with the number of answers."""
    return (
        SchoolNeed.objects.for_school(school)
        .annotate(answer_count=Count("answers"))
        .order_by("is_closed", "-period_end", "title")
    )


def board_needs(user) -> QuerySet:
    """The needs a user sees on the board: open needs of the municipalities where their
    associations offer, the needs of their own schools, and for consultants their
    municipality's open needs."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    municipalities = association_municipality_ids(user)
    consultant_municipality = getattr(user, "consultant_municipality", None)
    if consultant_municipality is not None:
        municipalities = municipalities | {consultant_municipality.pk}
    open_ids = SchoolNeed.objects.open().filter(school__municipality__in=municipalities)
    condition |= Q(pk__in=open_ids.values("pk"))
    schools = staff_schools(user)
    if schools:
        condition |= Q(school__in=schools)
    return (
        SchoolNeed.objects.filter(condition)
        .select_related("school")
        .prefetch_related("subjects")
        .annotate(answer_count=Count("answers"))
        .order_by("period_start", "title")
    )


def need_answers(need: SchoolNeed) -> QuerySet:
    return need.answers.select_related("association", "offer", "created_by")


def post_need(*, school: School, user, form) -> SchoolNeed:
    """Put the need of the valid ``form`` on the board. The same form sent again by the same
    person (its ``submit_key``) gets the need it posted the first time (``sent_before``)."""
    submit_key = form.cleaned_data.get("submit_key")
    need = form.save(commit=False)
    need.school = school
    need.created_by = user
    need.submit_key = submit_key
    try:
        with transaction.atomic():
            need.save()
            form.save_m2m()
    except IntegrityError:
        if (first := sent_before(SchoolNeed, submit_key, created_by=user)) is None:
            raise
        return first
    return need


def answer_need(
    *,
    need: SchoolNeed,
    association,
    offer,
    message: str,
    user,
    submit_key: uuid.UUID | None = None,
) -> NeedAnswer:
    """Send an association's answer to the school. The same form sent again by the same
    person (``submit_key``) gets the answer it sent the first time, which may be to another
    need if the key was sent there: the caller shows the answer's need."""
    try:
        with transaction.atomic():
            answer = NeedAnswer.objects.create(
                need=need,
                association=association,
                offer=offer,
                message=message,
                created_by=user,
                submit_key=submit_key,
            )
            _notify_school(answer)
    except IntegrityError:
        if (answer := sent_before(NeedAnswer, submit_key, created_by=user)) is None:
            raise
    return answer


@transaction.atomic
def close_need(need: SchoolNeed) -> None:
    SchoolNeed.objects.filter(pk=need.pk).update(is_closed=True)
    need.is_closed = True
    generations.bump(*caching.school_lists(need.school_id))  # update() sends no signal


def _notify_school(answer: NeedAnswer) -> None:
    """E-mail the staff member who posted the need (optional kind; users can turn it off)."""
    recipient = answer.need.created_by
    if recipient is None or not recipient.email:
        return
    notify(
        kind=NEED_ANSWERED_KIND,
        key=f"need-answer-{answer.pk}",
        to_email=recipient.email,
        user=recipient,
        template="need_answered",
        context={
            "recipient_name": recipient.get_short_name(),
            "need": answer.need,
            "association_name": answer.association.name,
            "offer_title": answer.offer.title if answer.offer else "",
            "message": answer.message,
            "action_url": absolute_url(answer.need.get_absolute_url()),
        },
    )


def offers_for_answer(user, need: SchoolNeed):
    """(association, offers) pairs the user may answer with: their approved associations in
    the need's municipality and those associations' published offers."""
    associations = list(
        Association.objects.published()
        .filter(memberships__user=user, municipalities=need.school.municipality_id)
        .distinct()
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.published().order_by("title"),
                to_attr="published_offers",
            )
        )
    )
    return associations
