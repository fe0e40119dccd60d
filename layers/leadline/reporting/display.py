"""Formatting shared by the HTML and text renderers: money, rates, durations, dates and labels.

Amounts are rounded to cents only here. Columns of amounts shown with their total are rounded
with ``allocate_cents``, so the rounded lines add up to the rounded total shown.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from leadline.economics.money import allocate_cents, format_usd

DASH = "—"

NOT_BILLED_LABELS = {
    "short_call": "Call too short",
    "missed_call": "Missed call",
    "voicemail": "Voicemail only",
    "duplicate": "Duplicate",
    "renter": "Renter",
    "outside_territory": "Outside your territory",
    "blocked_number": "Blocked number",
    "spam": "Spam",
    "unassigned": "Not assigned to you",
}

UNASSIGNED_REASON_LABELS = {
    "no_route": "nobody owns the ZIP",
    "paused": "owner paused",
    "unknown_number": "number not configured",
}

PRICING_LABELS = {"per_lead": "per lead", "flat_monthly": "flat monthly"}


def usd(amount: Decimal | None) -> str:
    return DASH if amount is None else format_usd(amount)


def usd_column(amounts: list[Decimal]) -> tuple[list[str], str]:
    """Format a column of amounts and its total so the shown lines add up to the shown total.

    Negative amounts cannot be allocated, so a column with any is rounded line by line.
    """
    total = sum(amounts, Decimal(0))
    if any(amount < 0 for amount in amounts):
        return [format_usd(amount) for amount in amounts], format_usd(total)
    return [format_usd(amount) for amount in allocate_cents(amounts)], format_usd(total)


def percent(fraction: Decimal | None) -> str:
    """Format 0.4 as "40%" and 0.125 as "12.5%": one decimal place, dropped when it is zero."""
    if fraction is None:
        return DASH
    value = (fraction * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{value:,.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def seconds(value: Decimal | None) -> str:
    """Format a duration in seconds with one decimal place, e.g. "11.5 s"."""
    if value is None:
        return DASH
    return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} s"


def short_date(day: date) -> str:
    """Format a date as "Thu Dec 3", with English names whatever the process locale."""
    return f"{_WEEKDAYS[day.weekday()][:3]} {_MONTHS[day.month - 1][:3]} {day.day}"


def long_date(day: date) -> str:
    """Format a date as "Thursday, December 3, 2026"."""
    return f"{_WEEKDAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}, {day.year}"


def month_label(day: date, *, short: bool = False) -> str:
    """Format the month to date as "December 1–3", or "Dec 1–3" when ``short``."""
    month = _MONTHS[day.month - 1][:3] if short else _MONTHS[day.month - 1]
    return f"{month} 1" if day.day == 1 else f"{month} 1–{day.day}"


def count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def service_label(service_type: str) -> str:
    """Turn a slug such as "roof_replacement" into "Roof replacement"."""
    words = service_type.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else service_type


def not_billed_label(rule: str) -> str:
    return NOT_BILLED_LABELS.get(rule, service_label(rule))


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
