"""Reminder rules and the reminder scan, in process (e-mail in memory)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from bookings import reminders, tasks
from bookings.states import BookingState
from notifications import reminders as reminder_rules
from notifications.models import Notification, ReminderRule
from tests import factories as f
from tests.notifications.factories import BookingFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(school, published_offer, teacher):
    return BookingFactory(
        school=school,
        offer=published_offer,
        requested_by=teacher,
        contact_teacher=teacher,
        starts_at=at(7),
        ends_at=at(7, 12),
    )


def confirmed_bookings(count, *, days_ahead, school, offer, teacher):
    for _ in range(count):
        BookingFactory(
            school=school,
            offer=offer,
            contact_teacher=teacher,
            requested_by=teacher,
            starts_at=at(days_ahead),
            ends_at=at(days_ahead, 12),
        )


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_a_new_municipality_gets_the_default_rules():
    municipality = f.MunicipalityFactory()
    rules = sorted(
        ReminderRule.objects.filter(municipality=municipality).values_list(
            "kind", "days", "anchor", "recipients"
        )
    )
    assert rules == [
        ("booking.evaluation", 1, "after_end", "both"),
        ("booking.reminder", 1, "before_start", "both"),
        ("booking.reminder", 7, "before_start", "both"),
        ("partnerships.figures", 14, "after_end", "association"),
        ("partnerships.meeting_reminder", 3, "before_start", "both"),
        ("partnerships.network_reminder", 2, "before_start", "both"),
    ]
    assert reminder_rules.create_default_rules(municipality)  # idempotent
    assert ReminderRule.objects.filter(municipality=municipality).count() == 6


def test_the_seven_day_reminder_goes_to_both_sides_once(booking, teacher):
    assert reminders.scan_booking_reminders() == 2
    assert reminders.scan_booking_reminders() == 0
    to_teacher = sent_to(teacher.email)
    to_association = sent_to(booking.offer.association.contact_email)
    assert len(to_teacher) == 1 and len(to_association) == 1
    body = to_teacher[0].body
    assert booking.offer.title in body
    assert "24" in body  # pupils
    assert "7 dage" in body  # Danish by default
    assert "http" in body and "/notifications/settings/" in body


def test_the_reminder_is_in_the_recipients_language(booking, teacher):
    teacher.language = "en"
    teacher.save()
    reminders.scan_booking_reminders()
    assert "takes place in 7 days" in sent_to(teacher.email)[0].body


def test_one_reminder_at_seven_and_one_at_one_day(booking, teacher):
    start_day = timezone.localdate(booking.starts_at)
    for days_before in range(10, -1, -1):
        reminders.scan_booking_reminders(today=start_day - timedelta(days=days_before))
    subjects = [m.subject for m in sent_to(teacher.email)]
    assert len(subjects) == 2, subjects
    assert subjects[1].startswith("I morgen")


@pytest.mark.parametrize(
    "language, subject, text",
    [("da", "I dag: ", "finder sted i dag."), ("en", "Today: ", "takes place today.")],
)
def test_a_reminder_sent_on_the_day_itself_says_today(booking, teacher, language, subject, text):
    """The day before was missed (beat was down): the grace day sends the 1-day reminder on
    the occasion's day, and it says so (it said "in 0 days" and named no day)."""
    teacher.language = language
    teacher.save()
    start_day = timezone.localdate(booking.starts_at)
    assert reminders.scan_booking_reminders(today=start_day) == 2
    [message] = sent_to(teacher.email)
    assert message.subject == subject + booking.offer.title
    assert text in message.body
    assert " 0 " not in message.body


@pytest.mark.parametrize("yesterdays_first", [True, False], ids=["yesterday-first", "today-first"])
@pytest.mark.parametrize(
    "rule_days, starts_at, subject, text",
    [
        (7, (6, 10), "Påmindelse: ", "finder sted om 6 dage."),
        (1, (0, 18), "I dag: ", "finder sted i dag."),
    ],
    ids=["7-day", "1-day"],
)
def test_scans_of_two_dates_write_the_same_reminder(
    school, published_offer, teacher, yesterdays_first, rule_days, starts_at, subject, text
):
    """A task of yesterday's scan waited overnight (the workers were down) and runs next to one
    of today's: both reach the booking's reminder (yesterday's a day late, within the grace
    day). One e-mail, counted from today, whichever task writes it: yesterday's wrote "in 7
    days" for a booking in 6 and "tomorrow" for one today."""
    noon = timezone.make_aware(datetime(2026, 11, 25, 12, 0))  # no midnight in the middle
    with time_machine.travel(noon, tick=False):
        booking = BookingFactory(
            school=school,
            offer=published_offer,
            requested_by=teacher,
            contact_teacher=teacher,
            starts_at=at(*starts_at),
            ends_at=at(starts_at[0], 20),
        )
        rule = ReminderRule.objects.get(
            municipality=school.municipality, kind=ReminderRule.Kind.REMINDER, days=rule_days
        )
        today = timezone.localdate()
        dates = [today - timedelta(days=1), today]
        if not yesterdays_first:
            dates.reverse()
        for day in dates:
            tasks.send_booking_reminders(rule.pk, [booking.pk], day.isoformat())
    assert len(mail.outbox) == 2  # the teacher and the association, once
    [message] = sent_to(teacher.email)
    assert message.subject.startswith(subject)
    assert text in message.body


def test_a_cancelled_booking_gets_no_further_reminder(booking, teacher):
    start_day = timezone.localdate(booking.starts_at)
    reminders.scan_booking_reminders(today=start_day - timedelta(days=7))
    booking.state = BookingState.CANCELLED
    booking.save()
    reminders.scan_booking_reminders(today=start_day - timedelta(days=1))
    assert len(sent_to(teacher.email)) == 1


def test_a_reminder_queued_before_the_cancellation_is_not_sent(booking, teacher):
    rule = ReminderRule.objects.get(municipality=booking.school.municipality, days=7)
    queued = reminders.queue_rule_reminder(rule, booking, timezone.localdate())
    booking.state = BookingState.CANCELLED
    booking.save()
    reminder_rules.send_batch(queued)
    assert mail.outbox == []
    for row in Notification.objects.all():
        assert row.state == Notification.State.SKIPPED
        assert "cancelled" in row.last_error


def test_a_moved_booking_is_reminded_for_its_new_date_only(booking, teacher):
    rule = ReminderRule.objects.get(municipality=booking.school.municipality, days=7)
    old_rows = reminders.queue_rule_reminder(rule, booking, timezone.localdate())
    booking.starts_at, booking.ends_at = at(9), at(9, 12)
    booking.save()
    reminder_rules.send_batch(old_rows)  # queued for the old date: skipped at sending time
    assert mail.outbox == []
    assert reminders.scan_booking_reminders(today=timezone.localdate() + timedelta(days=2)) == 2
    assert "moved" in Notification.objects.filter(state="skipped").first().last_error


def test_rules_are_records_the_municipality_controls(booking, teacher):
    municipality = booking.school.municipality
    ReminderRule.objects.filter(municipality=municipality, days=7).update(
        recipients=ReminderRule.Recipients.SCHOOL
    )
    reminders.scan_booking_reminders()
    assert len(mail.outbox) == 1 and sent_to(teacher.email)
    mail.outbox.clear()
    ReminderRule.objects.create(
        municipality=municipality,
        kind=ReminderRule.Kind.REMINDER,
        days=3,
        anchor=ReminderRule.Anchor.BEFORE_START,
    )
    ReminderRule.objects.filter(municipality=municipality, days=1).update(is_active=False)
    start_day = timezone.localdate(booking.starts_at)
    reminders.scan_booking_reminders(today=start_day - timedelta(days=3))
    reminders.scan_booking_reminders(today=start_day - timedelta(days=1))
    assert len(mail.outbox) == 2  # the new 3-day rule to both; the inactive 1-day rule nothing


def test_other_municipalities_rules_do_not_apply(booking, other_municipality):
    ReminderRule.objects.filter(municipality=booking.school.municipality).delete()
    assert reminders.scan_booking_reminders() == 0


def test_evaluation_request_the_day_after_the_end(school, published_offer, teacher):
    booking = BookingFactory(
        school=school,
        offer=published_offer,
        contact_teacher=teacher,
        requested_by=teacher,
        starts_at=at(-1, 9),
        ends_at=at(-1, 11),
        state=BookingState.COMPLETED,
    )
    assert reminders.scan_booking_reminders() == 2
    assert "Evaluer" in sent_to(teacher.email)[0].subject
    assert booking.offer.association.contact_email in mail.outbox[1].to + mail.outbox[0].to


def test_unconfirmed_bookings_get_no_reminder(booking):
    booking.state = BookingState.REQUESTED
    booking.save()
    assert reminders.scan_booking_reminders() == 0


def test_the_association_is_reminded_three_days_before_the_answer_deadline(
    school, published_offer, teacher
):
    booking = BookingFactory(
        school=school,
        offer=published_offer,
        contact_teacher=teacher,
        requested_by=teacher,
        state=BookingState.REQUESTED,
        starts_at=at(20),
        ends_at=at(20, 12),
        answer_deadline=at(3, 23, 59),
    )
    BookingFactory(  # far from its deadline
        school=school,
        offer=published_offer,
        contact_teacher=teacher,
        requested_by=teacher,
        state=BookingState.REQUESTED,
        starts_at=at(30),
        ends_at=at(30, 12),
        answer_deadline=at(10),
    )
    assert reminders.scan_answer_deadlines() == 1
    assert reminders.scan_answer_deadlines() == 0
    assert mail.outbox[0].to == [booking.offer.association.contact_email]


def test_an_answered_request_gets_no_deadline_reminder(school, published_offer, teacher):
    booking = BookingFactory(
        school=school,
        offer=published_offer,
        contact_teacher=teacher,
        requested_by=teacher,
        state=BookingState.REQUESTED,
        answer_deadline=at(2),
    )
    rows = []
    booking.state = BookingState.CONFIRMED
    booking.save()
    assert reminders.scan_answer_deadlines() == 0
    assert mail.outbox == rows


def test_the_scan_walks_many_bookings_in_batches(school, published_offer, teacher):
    confirmed_bookings(25, days_ahead=1, school=school, offer=published_offer, teacher=teacher)
    assert reminders.scan_booking_reminders(batch_size=7) == 50
    assert Notification.objects.filter(state="sent").count() == 50


def test_each_batch_goes_over_one_smtp_connection(school, published_offer, teacher, mailbox):
    confirmed_bookings(10, days_ahead=7, school=school, offer=published_offer, teacher=teacher)
    assert reminders.scan_booking_reminders(batch_size=7) == 20
    assert mailbox.wait_for(20, settle=0.2) == 20
    assert len(mailbox.sessions) == 2  # 7 bookings, then 3: two batches, two connections


def test_the_beat_job_hands_out_one_task_per_batch(school, published_offer, teacher):
    confirmed_bookings(15, days_ahead=1, school=school, offer=published_offer, teacher=teacher)
    # Tasks run in process here (no broker): each batch is sent as it is handed out.
    assert reminders.dispatch_booking_reminders(batch_size=7) == 3  # 7, 7 and 1 bookings
    assert Notification.objects.filter(state="sent").count() == 30
    assert len({m.extra_headers["X-Portal-Notification"] for m in mail.outbox}) == 30
    assert reminders.dispatch_booking_reminders(batch_size=7) == 3
    assert len(mail.outbox) == 30  # nothing twice


def test_a_batch_leaves_out_bookings_that_stopped_being_due(booking, teacher):
    rule = ReminderRule.objects.get(municipality=booking.school.municipality, days=7)
    booking.state = BookingState.CANCELLED
    booking.save()
    assert reminders.remind_bookings(rule.pk, [booking.pk], timezone.localdate()) == 0
    rule.is_active = False
    rule.save()
    assert reminders.remind_bookings(rule.pk, [booking.pk], timezone.localdate()) == 0
    assert mail.outbox == []
