"""Report periods: local days as UTC windows, daylight saving days, month to date."""

from datetime import UTC, date, datetime

import pytest

from leadline.reporting.periods import local_day, month_to_date, previous_local_day


@pytest.mark.parametrize(
    ("day", "zone", "start", "end", "hours"),
    [
        (date(2026, 3, 8), "America/New_York", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z", 23),
        (date(2026, 11, 1), "America/New_York", "2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z", 25),
        (date(2026, 3, 8), "America/Chicago", "2026-03-08T06:00:00.000Z", "2026-03-09T05:00:00.000Z", 23),
        (date(2026, 3, 8), "America/Phoenix", "2026-03-08T07:00:00.000Z", "2026-03-09T07:00:00.000Z", 24),
        (date(2026, 11, 1), "America/Phoenix", "2026-11-01T07:00:00.000Z", "2026-11-02T07:00:00.000Z", 24),
        (date(2026, 12, 3), "America/Chicago", "2026-12-03T06:00:00.000Z", "2026-12-04T06:00:00.000Z", 24),
    ],
)
def test_local_day_window(day: date, zone: str, start: str, end: str, hours: int) -> None:
    window = local_day(day, zone)
    assert window.start == start
    assert window.end == end
    assert window.hours == hours


def test_window_end_is_exclusive() -> None:
    window = local_day(date(2026, 12, 3), "America/Chicago")
    assert window.contains("2026-12-03T06:00:00.000Z")
    assert window.contains("2026-12-04T05:59:59.999Z")
    assert not window.contains("2026-12-04T06:00:00.000Z")
    assert not window.contains("2026-12-03T05:59:59.999Z")


def test_month_to_date_spans_dst_change() -> None:
    window = month_to_date(date(2026, 3, 10), "America/New_York")
    assert window.start == "2026-03-01T05:00:00.000Z"
    assert window.end == "2026-03-11T04:00:00.000Z"
    assert len(window.days) == 10
    assert window.hours == 10 * 24 - 1


def test_month_to_date_on_first_is_the_day() -> None:
    assert month_to_date(date(2026, 11, 1), "America/New_York") == local_day(
        date(2026, 11, 1), "America/New_York"
    )


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 12, 4, 12, 30, tzinfo=UTC), "America/Chicago", date(2026, 12, 3)),
        (datetime(2026, 12, 4, 5, 30, tzinfo=UTC), "America/Chicago", date(2026, 12, 2)),
        (datetime(2026, 12, 4, 5, 30, tzinfo=UTC), "America/New_York", date(2026, 12, 3)),
        (datetime(2026, 12, 4, 5, 30, tzinfo=UTC), "America/Phoenix", date(2026, 12, 2)),
    ],
)
def test_previous_local_day(moment: datetime, zone: str, expected: date) -> None:
    assert previous_local_day(moment, zone) == expected


def test_previous_local_day_rejects_naive_time() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        previous_local_day(datetime(2026, 12, 4, 12, 30), "America/Chicago")
