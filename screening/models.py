from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import ScreeningState


class Screenable(models.Model):
    """Fields shared by everything a consultant screens (association profiles and offers).

    An approved item stays live while an edit of it is screened: the edit is a
    separate row whose ``revision_of`` points at the live one. Approving the
    edit copies it onto the live row (``screening.services``).
    """

    state = models.CharField(
        _("screening state"),
        max_length=20,
        choices=ScreeningState.choices,
        default=ScreeningState.DRAFT,
        db_index=True,
    )
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("edit of"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_expires_at = models.DateTimeField(_("approval expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        abstract = True

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None

    @property
    def live(self):
        """The row schools see: self, or the approved item this edit belongs to."""
        return self.revision_of if self.revision_of_id else self
