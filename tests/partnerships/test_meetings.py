"""Status meetings: the consultant schedules them (participants invited once, with the meeting
as an .ics file), writes the minutes once (a double click changes nothing), both sides see
the minutes but never the internal notes, reminders follow the municipality's rules and go
out once; the consultant's overview, the dashboard's section and GDPR."""

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, ReminderRule
from partnerships import meeting_services as services
from partnerships import services as plan_services
from partnerships.focus import create_defaults
from partnerships.meetings import GoalStatus, MeetingParticipant, StatusMeeting
from partnerships.models import FocusArea, Goal
from screening import services as screening_services
from screening.workflow import Transition
from tests import factories as f
from tests.outbox import written

from .test_action_plans import fill

pytestmark = pytest.mark.django_db

INTERNAL = "Bestyrelsen er uenig internt - hold øje"


@pytest.fixture
def approved_plan(partnership, municipality, association_member, consultant):
    create_defaults(municipality)
    areas = list(FocusArea.objects.filter(municipality=municipality, kind="partnership")[:2])
    plan = plan_services.create_plan(
        partnership, title="Handleplan", focus_areas=areas, by=association_member
    )
    fill(plan)
    plan_services.submit_plan(plan, by=association_member)
    screening_services.decide(plan, Transition.START_REVIEW, by=consultant)
    screening_services.decide(plan, Transition.APPROVE, by=consultant)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def leader(school):
    return f.SchoolMembershipFactory(school=school, role="department_head", is_approved=True).user


def schedule(partnership, *, days=10, key=None, by=None):
    """A meeting at 10:00 local time ``days`` days from today: the reminder scan counts local
    days, and ``now + days`` lands a day later in the evening before a change to summer time."""
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(10)))
    return services.schedule(
        partnership,
        kind=StatusMeeting.Kind.RESOURCE_PERSON,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Rådhuset, mødelokale 2",
        invited=services.candidates(partnership),
        by=by,
        submit_key=key,
    )


def held_meeting(partnership, consultant, statuses=None):
    meeting = schedule(partnership, days=-3)
    rows = services.minutes_rows(meeting)
    statuses = statuses or {
        n: ("behind" if n == 0 else "on_track", f"Note {n}") for n in range(len(rows))
    }
    return services.write_minutes(
        meeting,
        statuses=statuses,
        next_steps="Nyt trænerkursus i marts",
        internal_notes=INTERNAL,
        by=consultant,
        submit_key=uuid.uuid4(),
    )


# --- Scheduling and invitations ------------------------------------------------------------


def test_the_agenda_is_the_approved_plans_goals(partnership, approved_plan):
    meeting = schedule(partnership)
    assert meeting.plan == approved_plan
    goals = services.agenda_goals(meeting)
    assert goals and {g.pk for g in goals} == set(approved_plan.goals.values_list("pk", flat=True))


def test_candidates_are_the_two_sides_and_the_contact(
    partnership, association_member, leader, teacher, consultant
):
    emails = {c.email: c.side for c in services.candidates(partnership)}
    assert emails == {
        "sara@example.org": "partner",
        association_member.email: "partner",
        leader.email: "school",
        consultant.email: "municipality",
    }  # not every teacher of the school: its leaders
    resource = f.UserFactory(email="Sara@example.org")
    assert services.candidates(partnership)[0].user == resource  # the account, if any


def test_invitations_go_once_each_with_the_meeting_as_ics(
    partnership, approved_plan, association_member, consultant, django_capture_on_commit_callbacks
):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(partnership, key=key, by=consultant)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["sara@example.org", association_member.email, consultant.email]
    )
    assert all("statusmøde" in m.subject.lower() for m in mail.outbox)
    ics = mail.outbox[0].attachments[0]
    assert ics[0].endswith(".ics") and ics[2].startswith("text/calendar")
    body = ics[1].decode() if isinstance(ics[1], bytes) else ics[1]
    assert "BEGIN:VEVENT" in body and "Rådhuset" in body and f"status-meeting-{meeting.pk}" in body
    # The same form again (a double click): the same meeting, no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        again = schedule(partnership, key=key, by=consultant)
    assert again.pk == meeting.pk
    assert StatusMeeting.objects.count() == 1 and len(mail.outbox) == 3
    assert Notification.objects.filter(kind=services.INVITATION).count() == 3


def test_an_invitation_to_a_cancelled_or_moved_meeting_is_not_sent(partnership, consultant):
    meeting = schedule(partnership)
    invitation = Notification.objects.filter(kind=services.INVITATION).first()
    assert services.meeting_still_wanted(invitation) == ""
    StatusMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=F("starts_at") + timedelta(days=1), ends_at=F("ends_at") + timedelta(days=1)
    )
    assert services.meeting_still_wanted(invitation) == "the meeting moved"
    services.cancel(meeting, by=consultant)
    assert "cancelled" in services.meeting_still_wanted(invitation)


def test_a_cancelled_meeting_is_cancelled_in_the_calendars_once(
    partnership, consultant, django_capture_on_commit_callbacks
):
    meeting = schedule(partnership)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(meeting, by=consultant)
    invited = meeting.participants.count()  # the resource person and the consultant
    assert invited == 2 and len(mail.outbox) == invited
    assert all("aflyst" in m.subject.lower() for m in mail.outbox)
    body = mail.outbox[0].attachments[0][1]
    body = body.decode() if isinstance(body, bytes) else body
    assert "STATUS:CANCELLED" in body and f"status-meeting-{meeting.pk}" in body
    assert "SEQUENCE:1" in body  # a calendar that has the invitation (0) takes this one
    with pytest.raises(ValidationError):
        services.cancel(meeting, by=consultant)  # a second click: nothing more
    assert Notification.objects.filter(kind=services.CANCELLED).count() == invited


def test_an_ended_partnership_gets_no_meeting(partnership, consultant):
    plan_services.transition(partnership, "end", by=consultant)
    with pytest.raises(ValidationError):
        schedule(partnership)


def test_the_invitation_is_written_in_danish_with_the_facts(partnership, approved_plan):
    schedule(partnership)
    row = written(
        Notification.objects.filter(kind=services.INVITATION, to_email="sara@example.org").get()
    )
    assert "statusmøde" in row.subject.lower()
    assert "Rådhuset, mødelokale 2" in row.body_text


# --- Minutes -------------------------------------------------------------------------------


def test_minutes_give_each_goal_a_status_and_are_written_once(
    partnership, approved_plan, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = held_meeting(partnership, consultant)
    assert meeting.state == StatusMeeting.State.HELD and meeting.minutes_by == consultant
    statuses = list(meeting.goal_statuses.values_list("status", flat=True))
    assert statuses == ["behind", "on_track"]
    minutes_mails = [m for m in mail.outbox if "referat" in m.subject.lower()]
    assert len(minutes_mails) == 3
    # Sent again with the same key: nothing changes. A correction changes the same rows.
    services.write_minutes(
        meeting,
        statuses={0: ("reached", "")},
        next_steps="x",
        by=consultant,
        submit_key=meeting.minutes_key,
    )
    meeting.refresh_from_db()
    assert meeting.next_steps == "Nyt trænerkursus i marts"
    with django_capture_on_commit_callbacks(execute=True):
        services.write_minutes(
            meeting,
            statuses={0: ("reached", "Nået!"), 1: ("on_track", "")},
            next_steps="Videre",
            by=consultant,
            submit_key=uuid.uuid4(),
        )
    assert GoalStatus.objects.filter(meeting=meeting).count() == 2
    assert meeting.goal_statuses.first().status == "reached"
    assert Notification.objects.filter(kind=services.MINUTES).count() == 3  # still once each


def test_minutes_keep_the_goals_as_they_were(partnership, approved_plan, consultant):
    meeting = held_meeting(partnership, consultant)
    description = meeting.goal_statuses.first().description
    Goal.objects.filter(plan=approved_plan).delete()
    assert [g.description for g in services.agenda_goals(meeting)][0] == description


def test_no_minutes_before_the_meeting_nor_of_a_cancelled_one(partnership, consultant):
    meeting = schedule(partnership)
    with pytest.raises(ValidationError):
        services.write_minutes(meeting, statuses={}, next_steps="x", by=consultant)
    services.cancel(meeting, by=consultant)
    with pytest.raises(ValidationError):
        services.cancel(meeting, by=consultant)


def test_a_cancelled_meeting_reads_aflyst_not_afmeldt(client, partnership, consultant):
    """Danish tells a cancelled meeting ("aflyst") from a sign-up called off ("afmeldt")."""
    meeting = schedule(partnership)
    services.cancel(meeting, by=consultant)
    client.force_login(consultant)
    page = client.get(reverse("partnerships:meeting", args=[meeting.pk])).content.decode()
    assert '<dd class="col-sm-9">Aflyst</dd>' in page and "Afmeldt" not in page


# --- Reminders by the municipality's rules -------------------------------------------------


def test_reminders_follow_the_rule_and_go_once(
    partnership, approved_plan, municipality, consultant
):
    rule = ReminderRule.objects.get(municipality=municipality, kind=ReminderRule.Kind.MEETING)
    assert (rule.days, rule.anchor) == (3, "before_start")
    meeting = schedule(partnership, days=3)
    mail.outbox.clear()
    today = timezone.localdate()
    assert services.scan_meeting_reminders(today) == 3
    assert services.scan_meeting_reminders(today) == 0  # the second scan: nothing again
    assert len(mail.outbox) == 3
    assert all(m.attachments and m.attachments[0][0].endswith(".ics") for m in mail.outbox)
    assert (
        Notification.objects.filter(
            kind=ReminderRule.Kind.MEETING, guard__meeting=meeting.pk
        ).count()
        == 3
    )


def test_a_municipality_edits_its_meeting_rule(partnership, municipality):
    ReminderRule.objects.filter(municipality=municipality, kind=ReminderRule.Kind.MEETING).update(
        recipients=ReminderRule.Recipients.ASSOCIATION
    )
    schedule(partnership, days=3)
    mail.outbox.clear()
    assert services.scan_meeting_reminders() == 1  # the partner side only (the resource person)
    assert mail.outbox[0].to == ["sara@example.org"]
    ReminderRule.objects.filter(municipality=municipality).update(is_active=False)
    schedule(partnership, days=3)
    assert services.scan_meeting_reminders() == 0


def test_a_cancelled_meeting_gets_no_reminder(partnership, consultant):
    meeting = schedule(partnership, days=3)
    services.cancel(meeting, by=consultant)
    mail.outbox.clear()
    assert services.scan_meeting_reminders() == 0 and mail.outbox == []


def test_booking_scans_leave_meeting_rules_alone(partnership):
    from bookings import reminders as booking_reminders

    schedule(partnership, days=3)
    assert booking_reminders.scan_booking_reminders() == 0


def test_a_meeting_rule_is_sent_before_the_meeting(municipality):
    rule = ReminderRule(
        municipality=municipality, kind=ReminderRule.Kind.MEETING, days=2, anchor="after_end"
    )
    with pytest.raises(ValidationError):
        rule.full_clean()


# --- Pages ----------------------------------------------------------------------------------


def test_consultant_schedules_through_the_page_once(client, consultant, partnership, approved_plan):
    client.force_login(consultant)
    url = reverse("partnerships:meeting_new", args=[partnership.pk])
    page = client.get(url)
    assert page.status_code == 200 and "sara@example.org" in page.content.decode()
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    data = {
        "submit_key": str(uuid.uuid4()),
        "kind": "board",
        "day": day,
        "starts": "16:00",
        "ends": "18:00",
        "place": "Klubhuset",
        # A choice sent twice (a crafted or replayed form) invites once.
        "invited": ["resource", f"contact-{consultant.pk}", "resource"],
    }
    first = client.post(url, data)
    second = client.post(url, data)
    meeting = StatusMeeting.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == reverse("partnerships:meeting", args=[meeting.pk])
    )
    assert meeting.participants.count() == 2
    # The form's local time and the database's UTC name the same moment: the invitations
    # queued for sending are not taken for a moved meeting's.
    invitations = Notification.objects.filter(kind=services.INVITATION)
    assert invitations.count() == 2
    assert {services.meeting_still_wanted(n) for n in invitations} == {""}


@pytest.mark.parametrize(
    "data",
    [
        {"day": "2026-13-45"},
        {"starts": "18:00", "ends": "16:00"},
        {"invited": ["member-999999"]},
        {"place": "a\x00b"},
        {"day": "1999-01-01"},
    ],
)
def test_a_bad_meeting_form_is_shown_again(client, consultant, partnership, data):
    client.force_login(consultant)
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    base = {
        "kind": "board",
        "day": day,
        "starts": "16:00",
        "ends": "18:00",
        "place": "Klubhuset",
        "invited": ["resource"],
    }
    response = client.post(
        reverse("partnerships:meeting_new", args=[partnership.pk]), {**base, **data}
    )
    assert response.status_code == 400
    assert StatusMeeting.objects.count() == 0


def test_consultant_writes_minutes_through_the_page_once(
    client, consultant, partnership, approved_plan
):
    meeting = schedule(partnership, days=-1)
    client.force_login(consultant)
    page = client.get(reverse("partnerships:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and "Flere frivillige" in page.content.decode()
    data = {
        "submit_key": str(uuid.uuid4()),
        "status_0": "behind",
        "note_0": "Mangler trænere",
        "status_1": "on_track",
        "note_1": "",
        "next_steps": "Kursus i marts",
        "internal_notes": INTERNAL,
    }
    url = reverse("partnerships:meeting_minutes", args=[meeting.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert GoalStatus.objects.filter(meeting=meeting).count() == 2
    assert client.post(url, {**data, "status_0": "bogus"}).status_code == 400
    assert client.post(url, {**data, "submit_key": "not-a-key"}).status_code == 400
    page = client.get(reverse("partnerships:meeting", args=[meeting.pk])).content.decode()
    assert INTERNAL in page  # the consultants see their notes


def test_a_double_click_on_cancel_answers_as_the_first(client, consultant, partnership):
    meeting = schedule(partnership)
    client.force_login(consultant)
    url = reverse("partnerships:meeting_cancel", args=[meeting.pk])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "Mødet er aflyst." in page and "Kun et planlagt møde" not in page


def test_both_sides_see_the_minutes_but_never_the_internal_notes(
    client, consultant, partnership, approved_plan, association, association_member, teacher
):
    meeting = held_meeting(partnership, consultant)
    planned = schedule(partnership, days=20)
    client.force_login(association_member)
    page = client.get(reverse("partnerships:association", args=[association.slug])).content.decode()
    assert "Nyt trænerkursus i marts" in page and "Note 0" in page
    assert reverse("partnerships:meeting_ics", args=[planned.pk]) in page
    assert INTERNAL not in page
    client.force_login(teacher)
    page = client.get(reverse("partnerships:school")).content.decode()
    assert "Nyt trænerkursus i marts" in page and INTERNAL not in page
    ics = client.get(reverse("partnerships:meeting_ics", args=[meeting.pk]))
    assert ics.status_code == 200 and INTERNAL not in ics.content.decode()
    assert client.get(reverse("partnerships:meeting", args=[meeting.pk])).status_code == 404


def test_strangers_see_no_meeting(
    client,
    consultant,
    other_consultant,
    partnership,
    other_association,
    other_association_admin,
    other_teacher,
):
    meeting = held_meeting(partnership, consultant)
    for user in (other_consultant, other_association_admin, other_teacher):
        client.force_login(user)
        for name in ("meeting", "meeting_ics"):
            assert client.get(reverse(f"partnerships:{name}", args=[meeting.pk])).status_code == 404
        assert (
            client.post(reverse("partnerships:meeting_cancel", args=[meeting.pk])).status_code
            == 404
        )
        assert (
            client.get(reverse("partnerships:meeting_new", args=[partnership.pk])).status_code
            == 404
        )
    client.force_login(other_association_admin)
    page = client.get(reverse("partnerships:association", args=[other_association.slug]))
    assert "Nyt trænerkursus" not in page.content.decode()


def test_overview_lists_the_municipalitys_partnerships_only(
    client, consultant, other_consultant, partnership, approved_plan, foreign_partnership, teacher
):
    held_meeting(partnership, consultant)
    upcoming = schedule(partnership, days=5)
    client.force_login(consultant)
    response = client.get(reverse("partnerships:overview"))
    rows = response.context["rows"]
    assert [r["partnership"] for r in rows] == [partnership]
    row = rows[0]
    assert row["next_meeting"] == upcoming and row["goals_behind"] == 1
    assert row["plan"] == approved_plan and row["figures_missing"] is None
    # The consultant's next steps: the figures, the network meetings and planning one.
    html = response.content.decode()
    for url in (
        reverse("partnerships:figures_overview"),
        reverse("partnerships:events"),
        reverse("admin:partnerships_networkevent_add"),
    ):
        assert f'href="{url}"' in html
    client.force_login(other_consultant)
    assert [
        r["partnership"] for r in client.get(reverse("partnerships:overview")).context["rows"]
    ] == [foreign_partnership]
    client.force_login(teacher)
    assert client.get(reverse("partnerships:overview")).status_code == 404
    client.logout()
    assert client.get(reverse("partnerships:overview")).status_code == 302


# --- The dashboard ---------------------------------------------------------------------------


def test_dashboard_counts_meetings_and_goals(
    client, consultant, partnership, approved_plan, municipality
):
    from dashboard import services as dashboard

    plan_services.transition(partnership, "activate", by=consultant)
    held_meeting(partnership, consultant)
    schedule(partnership, days=5)
    year = dashboard.school_year_of(timezone.localdate())
    meetings = dashboard.partnership_meetings(municipality, year)
    goals = dashboard.partnership_goals(municipality, year)
    name = partnership.association.name
    # Near 1 August one of the two meetings lies in the other school year.
    held, planned = (
        dashboard.school_year_of(timezone.localdate() + timedelta(days=days)) == year
        for days in (-3, 5)
    )
    assert meetings == [{"name": name, "expected": 2, "planned": held + planned, "held": int(held)}]
    assert goals == [{"name": name, "on_track": 1, "behind": 1, "reached": 0, "dropped": 0}]
    client.force_login(consultant)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert 'id="partnerships"' in page and "chart-partnership-goals-caption" in page
    csv = client.get(reverse("dashboard:export", args=["partnership-goals", "csv"]))
    assert csv.status_code == 200 and name in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("dashboard:export", args=["partnership-meetings", "xlsx"]))
    assert xlsx.status_code == 200


# --- GDPR ------------------------------------------------------------------------------------


def test_a_persons_meetings_are_in_their_export_and_survive_their_deletion(
    partnership, approved_plan, consultant, association_member
):
    from privacy import services as privacy

    meeting = held_meeting(partnership, consultant)
    data = privacy.export_user_data(association_member)
    assert [r["meeting__id"] for r in data["status_meetings_invited_to"]] == [meeting.pk]
    assert (
        privacy.export_user_data(consultant)["status_meeting_minutes_written"][0]["id"]
        == meeting.pk
    )
    email = association_member.email
    privacy.delete_account(association_member)
    privacy.delete_account(consultant)
    meeting.refresh_from_db()
    assert meeting.goal_statuses.count() == 2 and meeting.next_steps
    assert not MeetingParticipant.objects.filter(email__iexact=email).exists()
    assert MeetingParticipant.objects.filter(meeting=meeting, name="[anonymiseret]").count() == 2
    assert meeting.minutes_by.full_name == "Slettet bruger"


def test_the_consultant_edits_the_meeting_rule_in_the_admin(client, consultant, municipality):
    rule = ReminderRule.objects.get(municipality=municipality, kind=ReminderRule.Kind.MEETING)
    client.force_login(consultant)
    url = f"/admin/notifications/reminderrule/{rule.pk}/change/"
    data = {
        "municipality": municipality.pk,
        "kind": ReminderRule.Kind.MEETING,
        "days": 5,
        "anchor": "after_end",
        "recipients": "both",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 200  # after the meeting: refused, shown
    assert client.post(url, {**data, "anchor": "before_start"}).status_code == 302
    rule.refresh_from_db()
    assert rule.days == 5


def test_the_partnerships_admin_page_links_its_meetings(client, consultant, partnership):
    meeting = schedule(partnership)
    client.force_login(consultant)
    page = client.get(f"/admin/partnerships/partnership/{partnership.pk}/change/").content
    assert reverse("partnerships:meeting", args=[meeting.pk]) in page.decode()
    assert reverse("partnerships:meeting_new", args=[partnership.pk]) in page.decode()
    # An ended partnership gets no new meeting: no link, and an old link says why at once
    # (a helper's walk filled in the whole form before hearing it).
    partnership.state = "ended"
    partnership.save()
    page = client.get(f"/admin/partnerships/partnership/{partnership.pk}/change/").content
    assert reverse("partnerships:meeting", args=[meeting.pk]) in page.decode()
    assert reverse("partnerships:meeting_new", args=[partnership.pk]) not in page.decode()
    response = client.get(reverse("partnerships:meeting_new", args=[partnership.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("partnerships:overview")
    assert "Partnerskabet er afsluttet." in [str(m) for m in response.context["messages"]]


def test_the_admin_page_dates_a_meeting_by_the_local_calendar(client, consultant, partnership):
    """00:30 in Copenhagen is the evening before in UTC: the list shows the local day."""
    day = timezone.localdate() + timedelta(days=10)
    starts = timezone.make_aware(datetime.combine(day, time(0, 30)))
    services.schedule(
        partnership,
        kind=StatusMeeting.Kind.RESOURCE_PERSON,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Rådhuset",
        invited=[],
    )
    client.force_login(consultant)
    page = client.get(f"/admin/partnerships/partnership/{partnership.pk}/change/").content
    assert f"</a> {day.isoformat()} " in page.decode()
