"""Validators for Danish addresses, shared by every app that stores one."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

postal_code_validator = RegexValidator(r"^\d{4}$", _("A Danish postal code has four digits."))
