"""What a message in a thread between a school and an association is, whatever the thread
hangs on (a booking, an offer to take part in a school's event): each app adds the link to
its own object and who the sides are. The markup is ``templates/partials/_thread.html``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .submitkeys import submit_key_field


class ThreadMessage(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(
        _("message"), max_length=5000, help_text=_("Never write pupils' names here.")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    submit_key = submit_key_field()

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]
