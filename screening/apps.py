from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from municipalities.models import Municipality
        from notifications import kinds

        from . import reasons

        kinds.register("consultant.appointed", _("You were made a consultant"), essential=True)

        # Screening reaches down: a new municipality starts with coded rejection reasons.
        post_save.connect(
            reasons.municipality_saved, sender=Municipality, dispatch_uid="screening.reasons"
        )
