"""Business hours in the contractor's time zone, across days, midnight and daylight saving."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfoNotFoundError

import pytest

from leadline.calls.hours import is_open

WEEKDAYS = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-12-02 13:59", False),  # 07:59 in Chicago
        ("2026-12-02 14:00", True),  # 08:00 opens
        ("2026-12-02 22:59", True),  # 16:59
        ("2026-12-02 23:00", False),  # 17:00 closes
        ("2026-12-05 16:00", False),  # Saturday
    ],
)
def test_hours_in_chicago(moment: str, expected: bool) -> None:
    assert is_open(WEEKDAYS, "America/Chicago", utc(moment)) is expected


def test_local_weekday_differs_from_utc_weekday() -> None:
    # 03:30 UTC on Thursday is still Wednesday evening in Chicago.
    hours = {"wed": "20:00-22:00"}

    assert is_open(hours, "America/Chicago", utc("2026-12-03 03:30")) is True


def test_midnight_close_is_accepted() -> None:
    assert is_open({"fri": "18:00-24:00"}, "America/New_York", utc("2026-12-05 04:59")) is True


def test_daylight_saving_shifts_the_utc_opening() -> None:
    hours = {"mon": "08:00-17:00"}

    # 13:30 UTC is 08:30 in Chicago in July (CDT) but 07:30 in January (CST).
    assert is_open(hours, "America/Chicago", utc("2026-07-06 13:30")) is True
    assert is_open(hours, "America/Chicago", utc("2026-01-05 13:30")) is False


def test_phoenix_keeps_standard_time() -> None:
    hours = {"mon": "06:00-20:00"}

    assert is_open(hours, "America/Phoenix", utc("2026-07-06 13:00")) is True
    assert is_open(hours, "America/Phoenix", utc("2026-07-06 12:59")) is False


def test_unknown_time_zone_raises() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        is_open(WEEKDAYS, "America/Atlantis", utc("2026-12-02 16:00"))
