"""Timestamps. Stored times are ISO 8601 UTC strings with milliseconds, which sort as text.

In local mode (``LEADLINE_LOCAL=1``) the demo can pin the time with ``LEADLINE_CLOCK_OVERRIDE``
(an ISO 8601 time), so that business hours and report days give the same result whatever the
wall clock shows. Outside local mode the variable is ignored.
"""

import os
from datetime import UTC, datetime

LOCAL_MODE = "LEADLINE_LOCAL"
CLOCK_OVERRIDE = "LEADLINE_CLOCK_OVERRIDE"


def clock_override() -> datetime | None:
    """Return the pinned time in local mode, or None. Read on every call, never cached."""
    if os.environ.get(LOCAL_MODE) != "1":
        return None
    value = os.environ.get(CLOCK_OVERRIDE)
    if not value:
        return None
    moment = from_iso(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return clock_override() or datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """Format an aware datetime as ``2026-12-04T19:53:49.123Z``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass an aware datetime in any time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def utc_now_iso() -> str:
    return to_iso(utc_now())
