"""Filters for the screening e-mails, which are written by the worker in the recipient's
language: the context holds raw values and the labels are looked up here."""

from django import template
from django.apps import apps

register = template.Library()


@register.filter
def kind_label(model_label: str) -> str:
    """What a screened model is called ("offer", "tilbud"), from its label
    ("associations.offer"), in the active language."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return model_label
    return str(model._meta.verbose_name)
