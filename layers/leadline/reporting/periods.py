"""Report periods: a contractor's local calendar day and month to date, as UTC query windows.

A local day runs from local midnight to the next local midnight, so it lasts 23 hours on the
day clocks spring forward and 25 hours on the day they fall back. Lead times are stored as ISO
8601 UTC strings, which sort as text, so a window is a pair of such strings: start inclusive,
end exclusive.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from leadline.clock import from_iso, to_iso


@dataclass(frozen=True)
class Window:
    """A span of local calendar days, ``first_day`` to ``last_day`` inclusive, in one time zone."""

    first_day: date
    last_day: date
    time_zone: str
    start: str
    end: str

    @property
    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=offset) for offset in range(count)]

    def contains(self, received_at: str) -> bool:
        return self.start <= received_at < self.end

    @property
    def hours(self) -> float:
        """Length in hours, for logs and tests: 24 per day except on daylight saving days."""
        seconds = (from_iso(self.end) - from_iso(self.start)).total_seconds()
        return seconds / 3600


def local_midnight(day: date, time_zone: str) -> datetime:
    """Return the instant a local day begins.

    In a zone whose clocks jump at midnight (none in the US; they change at 02:00), a missing
    midnight resolves with the offset in force before the jump, as zoneinfo does with fold=0.
    """
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(time_zone))


def days_window(first_day: date, last_day: date, time_zone: str) -> Window:
    if last_day < first_day:
        raise ValueError(f"window ends on {last_day} before it starts on {first_day}")
    start = local_midnight(first_day, time_zone)
    end = local_midnight(last_day + timedelta(days=1), time_zone)
    return Window(first_day, last_day, time_zone, to_iso(start), to_iso(end))


def local_day(day: date, time_zone: str) -> Window:
    return days_window(day, day, time_zone)


def month_to_date(day: date, time_zone: str) -> Window:
    """Return the window from the first of ``day``'s month through the end of ``day``."""
    return days_window(day.replace(day=1), day, time_zone)


def previous_local_day(moment: datetime, time_zone: str) -> date:
    """Return the calendar day before ``moment``'s local date in ``time_zone``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass an aware datetime in any time zone")
    return moment.astimezone(ZoneInfo(time_zone)).date() - timedelta(days=1)
