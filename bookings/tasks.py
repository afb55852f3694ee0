from celery import shared_task

from . import services


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
