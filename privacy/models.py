from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InactivityWarning(models.Model):
    """An unused account was warned that it will be deleted (GDPR retention)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inactivity_warning",
        verbose_name=_("user"),
    )
    warned_at = models.DateTimeField(_("warned"), auto_now_add=True)

    class Meta:
        verbose_name = _("inactivity warning")
        verbose_name_plural = _("inactivity warnings")

    def __str__(self):
        return f"{self.user_id} {self.warned_at:%Y-%m-%d}"
