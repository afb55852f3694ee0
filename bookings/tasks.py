from datetime import date

from celery import shared_task

from . import reminders, services


@shared_task(time_limit=300, soft_time_limit=240)
def expire_overdue_requests() -> int:
    """Requests not answered by their deadline expire; both sides are told."""
    return services.expire_overdue()


@shared_task(time_limit=300, soft_time_limit=240)
def complete_past_bookings() -> int:
    return services.complete_past()


@shared_task(time_limit=300, soft_time_limit=240)
def lapse_waiting_offers() -> int:
    """Offers of a freed place not accepted in time go to the next school in line."""
    return services.lapse_waiting_offers()


@shared_task(time_limit=120, soft_time_limit=100)
def offer_freed_places(occasion_id: int) -> int:
    return len(services.offer_freed_places(occasion_id))


@shared_task(time_limit=300, soft_time_limit=240)
def allocate_due_occasions() -> int:
    """Occasions whose request deadline has passed are allocated fairly (one class per school
    first, then by lot)."""
    return services.allocate_due()


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def scan_reminders(today: str | None = None) -> int:
    """Beat job: the reminders due today (or on ``today``, an ISO date), one task per batch
    of bookings (``send_booking_reminders``). Returns the number of batches."""
    return reminders.dispatch_booking_reminders(date.fromisoformat(today) if today else None)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def send_booking_reminders(rule_id: int, booking_ids: list[int], today: str) -> int:
    """Queue and send one batch of reminders. Safe to run twice: the keys are unique."""
    return reminders.remind_bookings(rule_id, booking_ids, date.fromisoformat(today))


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def scan_answer_deadlines(today: str | None = None) -> int:
    """Beat job: remind associations 3 days before an unanswered request's deadline."""
    return reminders.scan_answer_deadlines(date.fromisoformat(today) if today else None)
