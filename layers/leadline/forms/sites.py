"""The agency settings and sites that the form flow reads, cached for ``CACHE_SECONDS``.

NOTE: each refresh scans the settings table, which contains one item for the agency and one per
site, so a config change reaches a warm function within ``CACHE_SECONDS``.
"""

import threading
import time
from dataclasses import dataclass
from typing import Any

from leadline.errors import LeadlineError
from leadline.storage import config_tables

CACHE_SECONDS = 60.0

# The settings keys that ``leadline config apply`` writes (leadline.config.records). They are
# repeated here because importing the config package would pull YAML parsing into the Lambda.
AGENCY_SETTING = "agency"
SITE_SETTING_PREFIX = "site#"


class AgencyNotConfiguredError(LeadlineError):
    """The settings table has no agency item, so the config was never applied."""


@dataclass(frozen=True)
class Site:
    name: str
    trade: str
    url: str
    thank_you_url: str
    origins: tuple[str, ...]


@dataclass(frozen=True)
class Agency:
    name: str
    operator_email: str
    sender_email: str
    time_zone: str
    duplicate_window_days: int


@dataclass(frozen=True)
class Directory:
    """The agency and its sites by name, as one consistent snapshot of the settings table."""

    agency: Agency
    sites: dict[str, Site]
    origins: frozenset[str]

    def is_allowed_origin(self, origin: str | None) -> bool:
        """Return True when a site in the config lists ``origin`` (CORS is allowed for it)."""
        return origin is not None and normalise_origin(origin) in self.origins


_lock = threading.Lock()
_cached: tuple[float, Directory] | None = None


def normalise_origin(origin: str) -> str:
    """Return an origin as browsers send it: lowercase scheme and host, no trailing slash."""
    return origin.strip().rstrip("/").lower()


def current() -> Directory:
    """Return the cached directory, reading the settings table when the cache is empty or stale."""
    global _cached
    with _lock:
        now = time.monotonic()
        if _cached is None or now - _cached[0] > CACHE_SECONDS:
            _cached = (now, _load())
        return _cached[1]


def clear_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def _load() -> Directory:
    agency: Agency | None = None
    sites: dict[str, Site] = {}
    for record in config_tables.scan_records("settings"):
        key = str(record.get(config_tables.KEY_ATTRIBUTES["settings"], ""))
        if key == AGENCY_SETTING:
            agency = _agency(record)
        elif key.startswith(SITE_SETTING_PREFIX):
            site = _site(record)
            sites[site.name] = site
    if agency is None:
        raise AgencyNotConfiguredError(
            f"the settings table has no {AGENCY_SETTING!r} item; apply the agency config with "
            "`leadline config apply`"
        )
    origins = frozenset(normalise_origin(origin) for site in sites.values() for origin in site.origins)
    return Directory(agency=agency, sites=sites, origins=origins)


def _agency(record: dict[str, Any]) -> Agency:
    return Agency(
        name=str(record["name"]),
        operator_email=str(record["operator_email"]),
        sender_email=str(record["sender_email"]),
        time_zone=str(record["time_zone"]),
        duplicate_window_days=int(record["lead_rules"]["duplicate_window_days"]),
    )


def _site(record: dict[str, Any]) -> Site:
    return Site(
        name=str(record["name"]),
        trade=str(record["trade"]),
        url=str(record["url"]),
        thank_you_url=str(record["thank_you_url"]),
        origins=tuple(str(origin) for origin in record.get("origins") or ()),
    )
