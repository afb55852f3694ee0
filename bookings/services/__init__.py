"""Booking rules, by sub-domain. Views and other apps call them as ``services.<name>``.

| module | what |
| --- | --- |
| ``booking`` | ``book``: what a school's booking form leads to (allocation, request, confirmation, waiting list) |
| ``offers`` | the offer being booked |
| ``pricing`` | prices, who pays what (``split_price``, ``quote``) and the subsidy pool |
| ``approval`` | a school leader's approval of a dear booking, before the association gets it |
| ``rules`` | dates, group size, places and answer deadlines every path checks |
| ``occasions`` | an offer's fixed dates |
| ``lifecycle`` | a booking from request to completion, its messages and evaluations |
| ``waiting`` | the waiting list and the fair allocation |
| ``emails`` | what a booking's e-mails say and whom they go to |
| ``feeds`` | private calendar addresses |

Every state change locks the rows it touches (booking → occasion → pool, always in that
order), re-checks the current state, changes it, records a ``BookingEvent`` and queues
e-mail with ``notifications.services.notify()`` (delivered after commit). What a form
creates carries the form's key, so that the form sent twice creates it once
(``portal.submitkeys``).
"""

from .approval import approval_url, booking_pk_from, is_leader
from .booking import Outcome, book
from .emails import booking_url
from .feeds import feed_address, feed_bookings, regenerate_feed
from .lifecycle import (
    OccasionFull,
    can_cancel,
    can_evaluate,
    complete_past,
    expire_overdue,
    post_message,
    record,
    request_booking,
    save_evaluation,
    transition,
)
from .occasions import add_occasion, cancel_occasion, save_occasion
from .offers import OFFER_CACHE_SECONDS, bookable_offer
from .pricing import (
    PoolFigures,
    Split,
    change_amount,
    change_pool,
    expected_price,
    open_pool,
    pool_figures,
    pool_figures_by_school,
    pool_for,
    quote,
    quoted_pool,
    school_subsidy_used,
    session_hours,
    split_price,
    subsidy_base,
)
from .rules import answer_deadline_for, places_for, validate_dates, validate_group
from .waiting import (
    accept_waiting_offer,
    allocate,
    allocate_due,
    apply_for_allocation,
    draw_order,
    join_waiting_list,
    lapse_waiting_offers,
    offer_freed_places,
    withdraw_waiting,
)

__all__ = [
    "OFFER_CACHE_SECONDS",
    "OccasionFull",
    "Outcome",
    "PoolFigures",
    "Split",
    "approval_url",
    "booking_pk_from",
    "is_leader",
    "accept_waiting_offer",
    "add_occasion",
    "allocate",
    "allocate_due",
    "answer_deadline_for",
    "apply_for_allocation",
    "book",
    "bookable_offer",
    "booking_url",
    "can_cancel",
    "can_evaluate",
    "cancel_occasion",
    "change_amount",
    "change_pool",
    "complete_past",
    "draw_order",
    "expected_price",
    "expire_overdue",
    "join_waiting_list",
    "lapse_waiting_offers",
    "offer_freed_places",
    "open_pool",
    "places_for",
    "pool_figures",
    "pool_figures_by_school",
    "pool_for",
    "post_message",
    "quote",
    "quoted_pool",
    "record",
    "feed_address",
    "feed_bookings",
    "regenerate_feed",
    "request_booking",
    "save_evaluation",
    "save_occasion",
    "school_subsidy_used",
    "session_hours",
    "split_price",
    "subsidy_base",
    "transition",
    "validate_dates",
    "validate_group",
    "withdraw_waiting",
]
