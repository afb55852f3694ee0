"""CVR numbers (Danish company numbers): eight digits, the last a modulus-11 check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import is_digits

WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def validate_cvr(value: str) -> None:
    """A CVR number has 8 digits and passes the modulus-11 check."""
    if not is_digits(value) or len(value) != 8:
        raise ValidationError(_("A CVR number has exactly 8 digits."), code="cvr_format")
    if value[0] == "0" or sum(int(d) * w for d, w in zip(value, WEIGHTS, strict=True)) % 11:
        raise ValidationError(_("This is not a valid CVR number."), code="cvr_checksum")


def example_cvr(start: int) -> str:
    """A valid, invented CVR number for demo and test data: the first seven-digit number
    from ``start`` on that has a check digit, with that digit."""
    base = start
    while True:
        digits = str(base)
        check = -sum(int(d) * w for d, w in zip(digits, WEIGHTS[:7], strict=True)) % 11
        if check < 10:
            return digits + str(check)
        base += 1
