from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications import kinds


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from . import caching, figures  # need the models, which are ready only now

        caching.connect()  # "My school" lists partnerships and meetings (portal.fragments)

        # The partner hears when its partnership begins and ends (services.transition).
        kinds.register(
            "partnership.activated",
            _("Your partnership with the municipality has begun"),
            essential=True,
            audience=kinds.ASSOCIATIONS,
        )
        kinds.register(
            "partnership.ended",
            _("Your partnership with the municipality has ended"),
            essential=True,
            audience=kinds.ASSOCIATIONS,
        )
        from .network import services as network_services  # needs the models

        ics = network_services.event_ics  # every network e-mail carries the event
        for code, label, still_wanted in network_services.KINDS:
            kinds.register(code, label, essential=True, still_wanted=still_wanted, attachments=ics)
        kinds.register(
            network_services.REMINDER_KIND,
            _("Reminder before a network meeting"),
            essential=False,
            still_wanted=network_services.reminder_still_wanted,
            attachments=ics,
            audience=kinds.BOOKING_PARTIES,  # schools and associations sign up
        )

        # The status meetings' e-mails: invitations and reminders carry the meeting as an
        # .ics file and are checked against the meeting just before sending.
        from . import meeting_services as meetings  # needs the models, ready only now

        # All three are part of the meeting (always sent). Participants are the partner's
        # people, the schools' leaders and the consultant (the resource person may have no
        # account at all).
        audience = kinds.BOOKING_PARTIES | kinds.CONSULTANTS
        for code, label in [
            (meetings.INVITATION, _("An invitation to a status meeting of a partnership")),
            (meetings.MOVED, _("A status meeting of a partnership was moved")),
            (meetings.REMINDER, _("Reminder before a status meeting")),
        ]:
            kinds.register(
                code,
                label,
                essential=True,
                still_wanted=meetings.meeting_still_wanted,
                attachments=meetings.meeting_ics,
                audience=audience,
            )
        kinds.register(
            meetings.CANCELLED,
            _("A status meeting of a partnership was cancelled"),
            essential=True,
            attachments=meetings.meeting_ics,
            audience=audience,
        )
        kinds.register(
            meetings.MINUTES,
            _("The minutes of a partnership's status meeting"),
            essential=True,
            audience=audience,
        )
        # The reminder of a partner's missing yearly figures (figures.scan_figures_reminders),
        # checked again just before sending: figures reported meanwhile stop it.
        kinds.register(
            figures.KIND,
            _("Reminder of the partnership's yearly figures"),
            essential=False,
            still_wanted=figures.figures_still_wanted,
            audience=kinds.ASSOCIATIONS,
        )
