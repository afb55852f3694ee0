from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications import kinds

#: The e-mail kinds bookings send to the school and the association: (code, label,
#: essential, checked against the booking just before sending). "booking" alone: any
#: booking e-mail, always sent.
KINDS = [
    ("booking", _("News about a booking"), True, False),
    ("booking.requested", _("A school requests a booking"), True, False),
    (
        "booking.approval",
        _("A booking waits for your approval as the school's leader"),
        True,
        False,
    ),
    ("booking.approval_answer", _("The school's leader has decided on a booking"), True, False),
    ("booking.confirmed", _("A booking was confirmed"), True, False),
    ("booking.declined", _("A booking was declined"), True, False),
    ("booking.alternative", _("An alternative date was proposed"), True, False),
    ("booking.cancelled", _("A booking was cancelled"), True, False),
    ("booking.expired", _("A request expired without an answer"), True, False),
    ("booking.message", _("A new message about a booking"), False, False),
    ("booking.waitlist_place", _("A place became free on the waiting list"), True, False),
    ("booking.answer_deadline", _("A request waits for your answer"), True, False),
    ("booking.reminder", _("Reminder before an occasion"), True, True),
    ("booking.evaluation", _("Request to evaluate an occasion"), False, True),
]


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self):
        # Reminders are checked against the booking as it is when they are sent.
        from . import caching, reminders  # need the models, which are ready only now

        caching.connect()

        for code, label, essential, checked in KINDS:
            kinds.register(
                code,
                label,
                essential=essential,
                still_wanted=reminders.booking_reminder_still_wanted if checked else None,
                audience=kinds.BOOKING_PARTIES,
            )
