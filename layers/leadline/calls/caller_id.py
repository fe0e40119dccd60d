"""Caller IDs: a usable E.164 number, or None when the caller's number is withheld or blank."""

import hashlib

from leadline.values import parse_phone

# Stand-ins that carriers and Twilio send in From when the number is withheld. +266696687 spells
# ANONYMOUS on a phone keypad; the other numbers spell RESTRICTED, BLOCKED, UNKNOWN, UNAVAILABLE
# and PRIVATE the same way. None is a real subscriber number in the US or Canada.
WITHHELD_CALLER_IDS = frozenset(
    {
        "anonymous",
        "restricted",
        "blocked",
        "unknown",
        "unavailable",
        "private",
        "+266696687",
        "+7378742833",
        "+2562533",
        "+8656696",
        "+86282452253",
        "+7748283",
    }
)


def caller_phone(raw: str) -> str | None:
    """Return the caller's number in E.164, or None for a withheld, blank or invalid caller ID."""
    value = raw.strip()
    if not value or value.lower() in WITHHELD_CALLER_IDS:
        return None
    try:
        return parse_phone(value)
    except ValueError:
        return None


def homeowner_key(trade: str | None, phone: str | None) -> str | None:
    """Return sha256 hex of ``trade#phone`` for duplicate checks, or None when either is missing.

    A key built from an empty value would make every withheld caller one homeowner.
    """
    if not trade or not phone:
        return None
    return hashlib.sha256(f"{trade}#{phone}".encode()).hexdigest()
