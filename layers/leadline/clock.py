"""Timestamps. Stored times are ISO 8601 UTC strings with milliseconds, which sort as text."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """Format an aware datetime as ``2026-12-04T19:53:49.123Z``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass an aware datetime in any time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def utc_now_iso() -> str:
    return to_iso(utc_now())
