"""Money helpers. Amounts are Decimal dollars everywhere; cents appear only for display.

Arithmetic keeps full Decimal precision, and rounding to cents happens once, at the end, with
``cents``. When several rounded figures are shown beside their rounded total (a day-by-day
table under a monthly fee, for example), ``allocate_cents`` rounds them so the column adds up.
"""

import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# An optional minus, an optional dollar sign, digits with optional thousands commas, decimals.
_AMOUNT = re.compile(r"^(?P<sign>-)?\$?(?P<digits>(?:\d{1,12}|\d{1,3}(?:,\d{3}){1,3})(?:\.\d+)?)$")


def cents(amount: Decimal) -> Decimal:
    """Round a Decimal amount to whole cents, halves away from zero (ROUND_HALF_UP)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_usd(amount: Decimal) -> str:
    """Format an amount as ``$1,234.56`` (``-$1,234.56`` when negative), rounded to cents."""
    rounded = cents(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"


def allocate_cents(amounts: Sequence[Decimal]) -> list[Decimal]:
    """Round each amount to cents so the rounded parts add up to the rounded total.

    Uses the largest-remainder method: every part is first rounded down to a cent, then the
    cents still missing from ``cents(sum(amounts))`` go to the parts with the largest
    remainders, earliest first on ties. Amounts must be zero or more.
    """
    if any(amount < 0 for amount in amounts):
        raise ValueError("allocate_cents needs amounts of zero or more")
    floors = [amount.quantize(CENT, rounding=ROUND_DOWN) for amount in amounts]
    missing_cents = int((cents(sum(amounts, Decimal(0))) - sum(floors, Decimal(0))) / CENT)
    by_remainder = sorted(
        range(len(amounts)), key=lambda index: (amounts[index] - floors[index], -index), reverse=True
    )
    for index in by_remainder[:missing_cents]:
        floors[index] += CENT
    return floors


def parse_amount(value: object, *, allow_negative: bool = False) -> Decimal:
    """Parse a reported amount exactly: a Decimal, an int or a string such as ``"$1,234.56"``.

    Floats are rejected because they cannot hold most cent amounts exactly, so JSON bodies are
    parsed with ``parse_float=Decimal``. At most 12 digits before the point are accepted, which
    keeps every amount far inside DynamoDB's 38-digit numbers. Raises ValueError naming the
    value and the fix.
    """
    if isinstance(value, bool | float):
        raise ValueError(f"amount {value!r} must be exact; send it as a string such as \"1234.56\"")
    text = str(value).strip()
    match = _AMOUNT.match(text)
    if match is None:
        raise ValueError(f"amount {value!r} is not a number; write it like 1234.56 or $1,234.56")
    amount = Decimal(match.group("digits").replace(",", ""))
    if amount != amount.quantize(CENT):
        raise ValueError(f"amount {value!r} has fractions of a cent; round it to 2 places")
    if match.group("sign"):
        amount = -amount
    if amount < 0 and not allow_negative:
        raise ValueError(f"amount {value!r} is negative; it must be 0 or more")
    return amount
