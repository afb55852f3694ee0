from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from notifications import kinds


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from . import reasons  # imports the models, which are ready only now

        # Screening reaches down: a new municipality starts with coded rejection reasons.
        post_save.connect(
            reasons.municipality_saved,
            sender="municipalities.Municipality",
            dispatch_uid="screening.reasons",
        )
        kinds.register("consultant.appointed", _("You were made a consultant"), essential=True)
