"""Status meetings: scheduling (participants, invitations), the agenda from the approved
action plan, the minutes, and the reminders by the municipality's reminder rules.

Every e-mail goes through ``notifications.services.notify`` with a key that names the meeting
and the recipient, so each is queued once (a second click, a second scan, two workers: one
row). Invitations and reminders carry the meeting as an ``.ics`` file, made when the e-mail
is sent (the kinds' ``attachments``, registered in ``apps.py``) with the bookings' calendar
helpers, and are checked against the meeting just before sending (``still_wanted``): a
cancelled or moved meeting gets no e-mail for the old time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import AssociationMembership
from bookings import ics
from notifications import reminders as rules
from notifications.models import Notification, ReminderRule
from notifications.services import absolute_url, notify
from portal.submitkeys import sent_before
from schools.models import SchoolMembership, SchoolRole
from screening.workflow import ScreeningState

from . import figures
from .meetings import GoalStatus, MeetingParticipant, StatusMeeting
from .models import ActionPlan, Partnership, PartnershipState

INVITATION = "partnerships.meeting_invitation"
MINUTES = "partnerships.meeting_minutes"
CANCELLED = "partnerships.meeting_cancelled"
MOVED = "partnerships.meeting_moved"
REMINDER = ReminderRule.Kind.MEETING.value
Side = MeetingParticipant.Side


# --- Who may be invited ----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone the consultant may invite: ``key`` is what the form sends."""

    key: str
    name: str
    email: str
    side: str
    user: object = None

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>"


def candidates(partnership: Partnership) -> list[Candidate]:
    """The resource person, the partner association's members, the leaders of the
    partnership's schools, and the municipality's contact person."""
    # The resource person may have an account (then the invitation is theirs in the GDPR
    # export and written in their language), or not.
    account = (
        get_user_model()
        .objects.filter(email__iexact=partnership.resource_email, is_active=True)
        .first()
    )
    p = partnership
    out = [Candidate("resource", p.resource_name, p.resource_email, Side.PARTNER, account)]
    if partnership.association_id:
        members = AssociationMembership.objects.filter(
            association_id=partnership.association_id, user__is_active=True
        ).select_related("user")
        for m in members.order_by("user__full_name", "user__email"):
            if m.user.email.lower() != partnership.resource_email.lower():
                out.append(_person(f"member-{m.user_id}", m.user, Side.PARTNER))
    leaders = (
        SchoolMembership.objects.approved()
        .filter(
            school__in=partnership.schools.all(),
            role__in=[SchoolRole.DEPARTMENT_HEAD, SchoolRole.PRINCIPAL],
        )
        .select_related("user")
        .order_by("school__name", "user__full_name")
    )
    for m in leaders:
        out.append(_person(f"staff-{m.user_id}", m.user, Side.SCHOOL))
    if partnership.contact_id:
        out.append(
            _person(f"contact-{partnership.contact_id}", partnership.contact, Side.MUNICIPALITY)
        )
    seen, unique = set(), []
    for c in out:
        if c.email.lower() not in seen:
            seen.add(c.email.lower())
            unique.append(c)
    return unique


def _person(key: str, user, side: str) -> Candidate:
    return Candidate(key, user.full_name or user.email, user.email, side, user)


# --- Scheduling -------------------------------------------------------------------------------


def approved_plan(partnership: Partnership) -> ActionPlan | None:
    """The action plan in force: the live approved one (a revision being screened is not)."""
    return (
        partnership.action_plans.live()
        .filter(state=ScreeningState.APPROVED)
        .order_by("-approved_at", "-pk")
        .first()
    )


def suggested_kind(partnership: Partnership, year: int) -> str:
    """The kind of status meeting the school year (from 1 August) still lacks."""
    had = set(
        partnership.status_meetings.exclude(state=StatusMeeting.State.CANCELLED)
        .filter(starts_at__date__gte=date(year, 8, 1), starts_at__date__lt=date(year + 1, 8, 1))
        .values_list("kind", flat=True)
    )
    for kind in StatusMeeting.Kind.values:
        if kind not in had:
            return kind
    return StatusMeeting.Kind.RESOURCE_PERSON


def schedule(
    partnership: Partnership,
    *,
    kind: str,
    starts_at,
    ends_at,
    place: str,
    invited: list[Candidate],
    agenda_notes: str = "",
    by=None,
    submit_key=None,
    invite: bool = True,
) -> StatusMeeting:
    """Schedule a status meeting and invite its participants (one e-mail each, once). The
    same form sent again (its key) gets the meeting it created the first time. (``invite``
    False: a meeting recorded afterwards, e.g. the demo's, invites nobody.)"""
    if partnership.state == PartnershipState.ENDED:
        raise ValidationError(_("The partnership has ended."), code="ended")
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."), code="ends_before")
    meeting = StatusMeeting(
        partnership=partnership,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda_notes=agenda_notes,
        plan=approved_plan(partnership),
        created_by=by,
        submit_key=submit_key,
    )
    try:
        with transaction.atomic():
            meeting.save()
            MeetingParticipant.objects.bulk_create(
                MeetingParticipant(
                    meeting=meeting, user=c.user, name=c.name, email=c.email, side=c.side
                )
                for c in invited
            )
            for participant in meeting.participants.all() if invite else ():
                _invite(meeting, participant)
    except IntegrityError:
        if (first := sent_before(StatusMeeting, submit_key, partnership=partnership)) is None:
            raise
        return first
    return meeting


def _invite(meeting: StatusMeeting, participant: MeetingParticipant):
    return _tell(meeting, participant, INVITATION, "meeting_invitation", guard=_guard(meeting))


def _tell(meeting, participant, kind: str, template: str, *, key_end="", guard=None, **extra):
    """Queue one e-mail of ``kind`` about the meeting to one participant, once (its key names
    the meeting and the address, and ``key_end`` what else makes it another e-mail)."""
    return notify(
        kind=kind,
        key=f"{kind}:meeting={meeting.pk}:to={rules.email_hash(participant.email)}{key_end}",
        to_email=participant.email,
        template=template,
        context={**_context(meeting, participant), **extra},
        user=participant.user,
        guard=guard,
    )


def _guard(meeting: StatusMeeting) -> dict:
    return {"meeting": meeting.pk, "on": rules.instant(meeting.starts_at)}


def participant_url(meeting: StatusMeeting, side: str) -> str:
    """Where a participant of this side sees the meeting."""
    partnership = meeting.partnership
    if side == Side.MUNICIPALITY:
        return absolute_url(reverse("partnerships:meeting", args=[meeting.pk]))
    if side == Side.SCHOOL:
        return absolute_url(reverse("partnerships:school"))
    if partnership.association_id:
        return absolute_url(
            reverse("partnerships:association", args=[partnership.association.slug])
        )
    return ""


def _context(meeting: StatusMeeting, participant: MeetingParticipant) -> dict:
    return {
        "meeting": meeting,
        "partner_name": str(meeting.partnership.partner),
        "municipality_name": meeting.partnership.municipality.name,
        "kind": meeting.kind,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "recipient_name": participant.name,
        "action_url": participant_url(meeting, participant.side),
    }


def meeting_still_wanted(notification: Notification) -> str:
    """ "" to send an invitation or reminder; otherwise why not (cancelled, held, moved)."""
    guard = notification.guard or {}
    meeting = StatusMeeting.objects.filter(pk=guard.get("meeting")).first()
    if meeting is None:
        return "the meeting no longer exists"
    if meeting.state != StatusMeeting.State.PLANNED:
        return f"the meeting is now {meeting.state}"
    if guard.get("on") and rules.instant(meeting.starts_at) != guard["on"]:
        return "the meeting moved"
    return ""


def meeting_ics(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The meeting of an invitation or a reminder as an ``.ics`` file."""
    meeting = StatusMeeting.objects.filter(pk=(notification.guard or {}).get("meeting")).first()
    if meeting is None:
        return []
    # The same UID every time: a calendar updates the event (moved, or cancelled).
    return [("moede.ics", calendar(meeting), "text/calendar; method=PUBLISH; charset=utf-8")]


def calendar(meeting: StatusMeeting) -> bytes:
    cal = ics.new_calendar("partnerships", str(meeting.partnership.municipality))
    ics.add_event(
        cal,
        uid=f"status-meeting-{meeting.pk}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.get_kind_display()} – {meeting.partnership.partner}",
        location=meeting.place,
        status="CANCELLED" if meeting.state == StatusMeeting.State.CANCELLED else "CONFIRMED",
        sequence=meeting.sequence,
        description="\n".join(
            f"- {g.description}" for _area, goals in agenda(meeting) for g in goals
        ),
    )
    return cal.to_ical()


# --- The agenda and the minutes --------------------------------------------------------------


def agenda(meeting: StatusMeeting) -> list[tuple[str, list]]:
    """(focus area, goals) of the plan the meeting follows: the goals' statuses once the
    minutes are written, otherwise the goals of the approved plan."""
    if meeting.has_minutes:
        groups: dict[str, list] = {}
        for status in meeting.goal_statuses.all():
            groups.setdefault(status.focus_area, []).append(status)
        return list(groups.items())
    plan = meeting.plan or approved_plan(meeting.partnership)
    if plan is None:
        return []
    groups = {}
    for goal in plan.goals.select_related("focus_area"):
        groups.setdefault(goal.focus_area.name, []).append(goal)
    return list(groups.items())


def agenda_goals(meeting: StatusMeeting) -> list:
    return [goal for _area, goals in agenda(meeting) for goal in goals]


@transaction.atomic
def write_minutes(
    meeting: StatusMeeting,
    *,
    statuses: dict[int, tuple[str, str]],
    next_steps: str,
    internal_notes: str = "",
    by=None,
    submit_key=None,
) -> StatusMeeting:
    """Record the minutes: a status and a note per goal of the agenda (``statuses``: the row's
    position on the agenda → (status, note)), the next steps and the internal notes. The meeting is
    then held; the participants are told once that the minutes are there. Written again
    (a correction), the same rows change; the same form sent twice changes nothing."""
    locked = StatusMeeting.objects.select_for_update().get(pk=meeting.pk)
    if submit_key is not None and locked.minutes_key == submit_key:
        return locked
    if locked.state == StatusMeeting.State.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."), code="cancelled")
    if locked.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not begun yet."), code="not_yet")
    first_time = not locked.has_minutes
    if first_time:
        _snapshot_goals(locked)
    for row in locked.goal_statuses.all():
        status, note = statuses.get(row.position, (row.status, row.note))
        if status not in GoalStatus.Status.values:
            raise ValidationError(_("Choose a status for every goal."), code="status")
        row.status, row.note = status, note
        row.save(update_fields=["status", "note"])
    locked.next_steps, locked.internal_notes = next_steps, internal_notes
    locked.state = StatusMeeting.State.HELD
    locked.minutes_by, locked.minutes_at, locked.minutes_key = by, timezone.now(), submit_key
    locked.save()
    if first_time:
        for participant in locked.participants.exclude(email=""):
            _tell(locked, participant, MINUTES, "meeting_minutes")
    return locked


def _snapshot_goals(meeting: StatusMeeting) -> None:
    """The agenda's goals become the minutes' rows (without a status yet)."""
    goals = agenda_goals(meeting)
    GoalStatus.objects.bulk_create(
        GoalStatus(
            meeting=meeting,
            goal=goal,
            focus_area=goal.focus_area.name,
            description=goal.description,
            target=goal.target,
            status="",
            position=n,
        )
        for n, goal in enumerate(goals)
    )


def minutes_rows(meeting: StatusMeeting) -> list:
    """The rows the minutes form shows: the statuses written, or the agenda's goals."""
    if meeting.has_minutes:
        return list(meeting.goal_statuses.all())
    return agenda_goals(meeting)


@transaction.atomic
def cancel(meeting: StatusMeeting, *, by=None) -> StatusMeeting:
    """Cancel a planned meeting: its invitations and reminders not yet sent are skipped, and
    each participant is told once, with the meeting as a cancelled calendar event."""
    locked = StatusMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state != StatusMeeting.State.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."), code="not_planned")
    locked.state = StatusMeeting.State.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["state", "sequence"])
    for participant in locked.participants.exclude(email=""):
        _tell(locked, participant, CANCELLED, "meeting_cancelled", guard={"meeting": locked.pk})
    return locked


def move(meeting: StatusMeeting, *, starts_at, ends_at, place: str, by=None) -> StatusMeeting:
    """Give a planned meeting a new time or place: each participant is told once per move,
    with the meeting for their calendar (the same event, updated). What was queued for the
    old time (an invitation not yet sent, a reminder) is not sent; reminders follow the new
    time. The same change again (a second click) does nothing."""
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."), code="ends_before")
    if starts_at < timezone.now():
        raise ValidationError(_("The time has passed: choose a later one."), code="past")
    locked = StatusMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state != StatusMeeting.State.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."), code="not_planned")
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("The meeting has begun: it can no longer be moved."), code="begun")
    if (locked.starts_at, locked.ends_at, locked.place) == (starts_at, ends_at, place):
        return locked
    previous = locked.starts_at
    locked.starts_at, locked.ends_at, locked.place = starts_at, ends_at, place
    locked.sequence += 1
    locked.save(update_fields=["starts_at", "ends_at", "place", "sequence"])
    # The move's number too: a meeting moved back to an earlier time is told again.
    change = f"{rules.instant(starts_at)}/{rules.instant(ends_at)}/{rules.email_hash(place)}"
    for participant in locked.participants.exclude(email=""):
        _tell(
            locked,
            participant,
            MOVED,
            "meeting_moved",
            key_end=f":{locked.sequence}:{change}",
            guard=_guard(locked),
            previous=previous,
        )
    return locked


# --- Reminders ---------------------------------------------------------------------------------


def _wanted(rule: ReminderRule, participant: MeetingParticipant) -> bool:
    if participant.side == Side.SCHOOL:
        return rule.to_school()
    if participant.side == Side.PARTNER:
        return rule.to_association()
    return rule.recipients == ReminderRule.Recipients.BOTH


def due_meetings(rule: ReminderRule, today: date):
    lo, hi = rules.anchor_window(rule, today)
    return (
        StatusMeeting.objects.for_municipality(rule.municipality)
        .filter(
            state=StatusMeeting.State.PLANNED,
            starts_at__gte=max(lo, timezone.now()),
            starts_at__lt=hi,
        )
        .select_related("partnership__municipality", "partnership__association")
        .prefetch_related("participants")
        .order_by("pk")
    )


def queue_reminders(rule: ReminderRule, meeting: StatusMeeting, today: date) -> list:
    on = rules.instant(meeting.starts_at)
    written_on = max(today, timezone.localdate())
    queued = []
    for participant in meeting.participants.all():
        if not participant.email or not _wanted(rule, participant):
            continue
        notification = notify(
            kind=REMINDER,
            key=f"{REMINDER}:rule={rule.pk}:meeting={meeting.pk}:"
            f"to={rules.email_hash(participant.email)}:on={on}",
            to_email=participant.email,
            template=rule.template,
            context={
                **_context(meeting, participant),
                "days": abs((rules.local_date(meeting.starts_at) - written_on).days),
            },
            user=participant.user,
            deliver=False,
            guard=_guard(meeting),
        )
        if notification is not None:
            queued.append(notification)
    return queued


def scan_meeting_reminders(today: date | None = None) -> int:
    """Queue and send the reminders due today by the municipalities' meeting rules; the
    number sent. Safe to run twice: only the run that inserts a key sends it."""
    today = today or timezone.localdate()
    sent = 0
    for rule in rules.active_rules([ReminderRule.Kind.MEETING]):
        meetings = due_meetings(rule, today).iterator(chunk_size=rules.BATCH_SIZE)
        for batch in rules.batches(meetings, rules.BATCH_SIZE):
            queued = []
            for meeting in batch:
                queued.extend(queue_reminders(rule, meeting, today))
            sent += rules.send_batch(queued)
    return sent


# --- The consultant's overview ------------------------------------------------------------------


def figures_missing(partnerships) -> dict[int, bool]:
    """{partnership id: the partner has not reported the figures of the year that ended}
    (``figures.figures_status``); a partnership not asked to report is left out."""
    return figures.figures_status(partnerships)


def overview(partnerships, now=None) -> list[dict]:
    """One row per partnership: the next meeting, the plan's state, the goals behind at the
    latest minutes, and whether the yearly figures are missing. A few queries in all."""
    now = now or timezone.now()
    partnerships = list(partnerships)
    ids = [p.pk for p in partnerships]
    upcoming: dict[int, StatusMeeting] = {}
    for m in (
        StatusMeeting.objects.filter(partnership_id__in=ids).upcoming(now).order_by("starts_at")
    ):
        upcoming.setdefault(m.partnership_id, m)
    latest: dict[int, StatusMeeting] = {}
    held = StatusMeeting.objects.filter(
        partnership_id__in=ids, state=StatusMeeting.State.HELD, minutes_at__isnull=False
    ).order_by("-starts_at")
    for m in held:
        latest.setdefault(m.partnership_id, m)
    behind: dict[int, int] = {}
    for s in GoalStatus.objects.filter(
        meeting__in=list(latest.values()), status=GoalStatus.Status.BEHIND
    ).values("meeting__partnership_id"):
        key = s["meeting__partnership_id"]
        behind[key] = behind.get(key, 0) + 1
    plans: dict[int, ActionPlan] = {}
    for plan in ActionPlan.objects.live().filter(partnership_id__in=ids).order_by("-created_at"):
        plans.setdefault(plan.partnership_id, plan)
    missing = figures_missing(partnerships)
    return [
        {
            "partnership": p,
            "next_meeting": upcoming.get(p.pk),
            "plan": plans.get(p.pk),
            "latest_minutes": latest.get(p.pk),
            "goals_behind": behind.get(p.pk, 0),
            "figures_missing": missing.get(p.pk),
        }
        for p in partnerships
    ]
