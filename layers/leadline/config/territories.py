"""Expansion of counties and states to ZIPs, from the ``zipcodes`` package's data set.

Only active ZIPs are used. The data set names counties as "Dallas County"; "Dallas, TX" is
accepted for "Dallas County, TX".
"""

from functools import cache

US_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA",
    "WA", "WV", "WI", "WY",
))


@cache
def _active_zips() -> dict[tuple[str, str], list[str]]:
    """Return ZIPs grouped by (state, county), for every active ZIP in the data set."""
    import zipcodes

    grouped: dict[tuple[str, str], list[str]] = {}
    for entry in zipcodes.list_all():
        if entry["active"]:
            grouped.setdefault((entry["state"], entry["county"]), []).append(entry["zip_code"])
    return grouped


def zips_for_county(county: str) -> list[str]:
    """Return the ZIPs of "Dallas County, TX". Raises ValueError naming the fix if unknown."""
    name, _, state = county.rpartition(",")
    name, state = name.strip(), state.strip().upper()
    if not name or state not in US_STATES:
        raise ValueError(f"county {county!r} is invalid; write it as \"Dallas County, TX\"")
    grouped = _active_zips()
    for candidate in (name, f"{name} County", f"{name} Parish"):
        if (state, candidate) in grouped:
            return sorted(grouped[(state, candidate)])
    known = sorted(c for s, c in grouped if s == state and c.lower().startswith(name[:3].lower()))
    hint = f"; similar names in {state}: {', '.join(known[:5])}" if known else ""
    raise ValueError(f"county {county!r} is not in the zipcodes data set{hint}")


def zips_for_state(state: str) -> list[str]:
    code = state.strip().upper()
    if code not in US_STATES:
        raise ValueError(f"state {state!r} is invalid; use a two-letter code such as TX")
    return sorted(z for (s, _), zips in _active_zips().items() if s == code for z in zips)


def is_known_zip(zip_code: str) -> bool:
    return any(zip_code in zips for zips in _active_zips().values())
