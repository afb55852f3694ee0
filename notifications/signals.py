"""Every new municipality starts with the default reminder rules (a consultant edits them)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from municipalities.models import Municipality


@receiver(post_save, sender=Municipality, dispatch_uid="notifications_default_reminder_rules")
def give_default_reminder_rules(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .reminders import create_default_rules

        create_default_rules(instance)
