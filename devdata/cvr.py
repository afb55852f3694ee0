"""CVR numbers (Danish company numbers) for invented associations."""

WEIGHTS = (2, 7, 6, 5, 4, 3, 2)


def valid_cvr(start: int) -> str:
    """The first number from ``start`` on (seven digits) whose modulus-11 check digit exists,
    with that digit: a deterministic CVR number that passes the check."""
    base = start
    while True:
        digits = str(base)
        check = -sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
        if check < 10:
            return digits + str(check)
        base += 1
