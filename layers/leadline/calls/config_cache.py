"""Tracking numbers and agency settings, cached in the warm Lambda for CACHE_SECONDS.

These records change only when an operator applies a config, so a call may see a change up
to a minute late. Route items are not cached, because a transfer or pause should apply to the
next call. An unknown number is cached too (as None), so a flood of calls to it costs one read
a minute. When DynamoDB fails, an expired entry is still used rather than nothing.
"""

import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from leadline.observability import logger
from leadline.storage import config_tables

CACHE_SECONDS = 60.0
# The settings item that config apply writes for the agency (leadline.config.records, which
# is not imported here because it loads the YAML config tooling).
AGENCY_SETTING = "agency"

_entries: dict[tuple[str, str], tuple[float, dict[str, Any] | None]] = {}


def _cached(table: str, key: str, load: Callable[[str], dict[str, Any] | None]) -> dict[str, Any] | None:
    now = time.monotonic()
    entry = _entries.get((table, key))
    if entry is not None and entry[0] > now:
        return entry[1]
    try:
        value = load(key)
    except (BotoCoreError, ClientError) as error:
        if entry is None:
            raise
        logger.warning(
            "config read failed; using the expired cache entry", table=table, error_type=type(error).__name__
        )
        return entry[1]
    _entries[(table, key)] = (now + CACHE_SECONDS, value)
    return value


def tracking_number(phone_number: str) -> dict[str, Any] | None:
    """Return the tracking number's record, or None when the number is not configured."""
    return _cached("numbers", phone_number, config_tables.get_tracking_number)


def agency_settings() -> dict[str, Any] | None:
    return _cached("settings", AGENCY_SETTING, config_tables.get_setting)


def cached_tracking_number(phone_number: str) -> dict[str, Any] | None:
    """Return the record last read for the number, even expired, without reading DynamoDB."""
    entry = _entries.get(("numbers", phone_number))
    return entry[1] if entry else None


def cached_agency_settings() -> dict[str, Any] | None:
    entry = _entries.get(("settings", AGENCY_SETTING))
    return entry[1] if entry else None


def clear() -> None:
    """Forget every entry, as a cold start does."""
    _entries.clear()
