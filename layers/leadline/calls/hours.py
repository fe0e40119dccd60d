"""Business hours in the contractor's time zone.

Hours are stored as ``{"mon": "07:00-19:00", ...}`` with closed days absent; ``24:00`` closes
at midnight. The config loader rejects overnight spans, so a span never crosses midnight.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def is_open(business_hours: dict[str, str], time_zone: str, moment: datetime) -> bool:
    """Return whether ``moment`` falls inside the hours of its local weekday.

    Raises ZoneInfoNotFoundError for an unknown time zone and ValueError for a malformed span.
    """
    local = moment.astimezone(ZoneInfo(time_zone))
    span = business_hours.get(DAYS[local.weekday()])
    if not span:
        return False
    opens, _, closes = span.partition("-")
    minute_of_day = local.hour * 60 + local.minute
    return _minutes(opens) <= minute_of_day < _minutes(closes)
