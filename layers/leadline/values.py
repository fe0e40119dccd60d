"""Validated scalar values shared by config, forms and calls: trades, ZIPs, phones and money.

Each ``parse_*`` function returns the normalised value or raises ``ValueError`` with a message
that names the bad value and says how to fix it, so pydantic validators can use them directly.
"""

import re
from decimal import Decimal, InvalidOperation

TRADES = ("roofing", "hvac", "plumbing", "electrical")

_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_NANP = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-]")
_CENTS = Decimal("0.01")


def parse_trade(value: str) -> str:
    trade = value.strip().lower()
    if trade not in TRADES:
        raise ValueError(f"unknown trade {value!r}; use one of: {', '.join(TRADES)}")
    return trade


def parse_zip(value: object, *, allow_plus4: bool = False) -> str:
    """Return a 5-digit ZIP string. ZIPs are strings: a number is rejected, never converted."""
    if not isinstance(value, str):
        raise ValueError(
            f"ZIP {value!r} must be a string of 5 digits, not a number; quote it, e.g. \"02134\""
        )
    match = _ZIP.match(value.strip())
    if match is None or (not allow_plus4 and "-" in value):
        expected = "5 digits or ZIP+4 (12345-6789)" if allow_plus4 else "exactly 5 digits"
        raise ValueError(f"ZIP {value!r} is invalid; expected {expected}")
    return match.group(1)


def parse_phone(value: object, *, default_country: str = "US") -> str:
    """Return a phone number in E.164.

    US numbers may be written in any common format (``(214) 555-0101``, ``214.555.0101``,
    ``1-214-555-0101``); other countries must already be E.164 (``+44 20 7946 0958``).
    """
    if not isinstance(value, str):
        raise ValueError(f"phone {value!r} must be a string such as \"+12145550101\"")
    compact = _PHONE_PUNCTUATION.sub("", value.strip())
    if compact.startswith("+"):
        if not _E164.match(compact):
            raise ValueError(f"phone {value!r} is not a valid E.164 number (+ and 7-15 digits)")
        if compact.startswith("+1") and not _NANP.match(compact[2:]):
            raise ValueError(f"phone {value!r} is not a valid US/Canada number")
        return compact
    if default_country != "US" or not compact.isdigit():
        raise ValueError(f"phone {value!r} is invalid; write it in E.164, e.g. \"+12145550101\"")
    if len(compact) == 11 and compact.startswith("1"):
        compact = compact[1:]
    if len(compact) != 10 or not _NANP.match(compact):
        raise ValueError(
            f"phone {value!r} is not a valid US number; use 10 digits or E.164 (\"+12145550101\")"
        )
    return "+1" + compact


def parse_money(value: object) -> Decimal:
    """Return a non-negative Decimal amount with at most cent precision.

    Floats are rejected because they cannot hold most cent amounts exactly. The config loader
    reads YAML numbers as Decimal from their text, so a price written 45.10 stays 45.10.
    """
    if isinstance(value, (float, bool)):
        raise ValueError(f"amount {value!r} must be read exactly; quote it, e.g. \"45.10\"")
    written = str(value).strip()
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"amount {written} is not a number; write it like 45.10") from None
    if not amount.is_finite():
        raise ValueError(f"amount {written} is not a finite number")
    if amount < 0:
        raise ValueError(f"amount {written} is negative; prices and fees must be 0 or more")
    if amount != amount.quantize(_CENTS):
        raise ValueError(f"amount {written} has fractions of a cent; round it to 2 places")
    return amount
