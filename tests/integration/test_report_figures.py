"""Report figures pinned on a small hand-computed data set (tests/support/report_data.py).

Lone Star Roofing pays per lead ($85.00 a roof replacement, $45.10 otherwise, capped at $2,500 a
month) in America/Chicago. Bay State HVAC pays a flat $1,800 a month in America/New_York.
Cactus Plumbing pays $38.50 a lead in America/Phoenix, which has no daylight saving time.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadline.economics.money import cents
from leadline.reporting.build import ContractorReport, build_contractor_report
from leadline.reporting.contractor_email import subject_line
from leadline.reporting.delivery import render_contractor_report
from leadline.storage import config_tables
from leadline.storage.leads import get_lead
from tests.support.report_data import (
    BAY_STATE,
    CACTUS,
    call_lead,
    form_lead,
    lone_star_december,
    store,
)

DEC_3 = date(2026, 12, 3)


def lone_star_report(report_date: date = DEC_3) -> ContractorReport:
    agency = config_tables.get_setting("agency")
    contractor = config_tables.get_contractor("lone-star-roofing")
    assert agency is not None and contractor is not None
    return build_contractor_report(contractor, agency, report_date)


@pytest.fixture
def lone_star(applied_example: Any) -> ContractorReport:
    store(lone_star_december())
    return lone_star_report()


def test_day_window_is_chicago_midnight_to_midnight(lone_star: ContractorReport) -> None:
    assert lone_star.day.window.start == "2026-12-03T06:00:00.000Z"
    assert lone_star.day.window.end == "2026-12-04T06:00:00.000Z"
    assert lone_star.month.window.start == "2026-12-01T06:00:00.000Z"


def test_day_calls(lone_star: ContractorReport) -> None:
    calls = lone_star.day.calls
    # d1 d2 d3 d4 d5 d6 d8; CA-next is Dec 4 local and CA-nov30 is November.
    assert calls.total == 7
    # A key press: d1, d2, d5, d6. d4 was picked up by voicemail, so it is missed.
    assert calls.answered == 4
    # 6.0, 12.4 and 18.0 s are within 3 rings of 6 s; 25.0 s is not.
    assert calls.answered_within == 3
    # Median of 6.0, 12.4, 18.0, 25.0 = (12.4 + 18.0) / 2.
    assert calls.median_seconds_to_answer == Decimal("15.2")
    # d3 (voicemail left), d4 (voicemail pickup), d8.
    assert calls.missed == 3
    assert calls.voicemails == 1
    assert calls.pending == 0


def test_day_forms_and_billing(lone_star: ContractorReport) -> None:
    day = lone_star.day
    assert day.forms == 1
    assert day.leads == 8
    # d1 (roof replacement), d6 (roof repair) and the form d7.
    assert day.qualified == 3
    assert day.qualified_calls == 2
    assert day.qualified_forms == 1
    # d2 talked 30 s of the 60 s minimum. d4 (a voicemail pickup) and d8 are missed calls. d3 left
    # a voicemail. d5 is a duplicate of m1.
    assert day.not_billed == {"short_call": 1, "missed_call": 2, "voicemail": 1, "duplicate": 1}
    assert day.unclassified == 0


def test_day_appointments(lone_star: ContractorReport) -> None:
    day = lone_star.day
    assert day.booked_from_qualified_calls == 2
    assert day.booking_rate == Decimal(1)
    assert day.booked_from_qualified_forms == 1


def test_day_revenue_by_service_type(lone_star: ContractorReport) -> None:
    lines = {line.service_type: line for line in lone_star.day.service_types}
    assert [line.service_type for line in lone_star.day.service_types] == [
        "roof_replacement",
        "skylight",
        "roof_repair",
    ]
    # Reported gross profit wins over the 32% default margin.
    assert lines["roof_replacement"].revenue == Decimal("14000.00")
    assert lines["roof_replacement"].gross_profit == Decimal("4120.00")
    assert lines["roof_replacement"].jobs_on_default_margin == 0
    # $800.00 at the 45% default margin for roof repair.
    assert lines["roof_repair"].gross_profit == Decimal("360.00")
    assert lines["roof_repair"].jobs_on_default_margin == 1
    # No margin for skylights and none reported: revenue counts, gross profit does not.
    assert lines["skylight"].revenue == Decimal("1500.00")
    assert lines["skylight"].gross_profit == Decimal(0)
    assert lines["skylight"].jobs_without_profit == 1
    assert lone_star.day.revenue == Decimal("16300.00")
    assert lone_star.day.gross_profit == Decimal("4480.00")


def test_day_cost_against_gross_profit(lone_star: ContractorReport) -> None:
    day = lone_star.day
    # $85.00 + $45.10 + $45.10 (a skylight has no price of its own).
    assert day.cost == Decimal("175.20")
    assert day.profit == Decimal("4304.80")
    assert day.return_on_cost == Decimal("4304.80") / Decimal("175.20")
    assert day.cost_per_booked_job == Decimal("58.40")


def test_month_to_date(lone_star: ContractorReport) -> None:
    month = lone_star.month
    assert month.calls.total == 8
    assert month.calls.answered == 5
    # 6.0, 10.0, 12.4, 18.0, 25.0.
    assert month.calls.median_seconds_to_answer == Decimal("12.4")
    assert month.forms == 2
    assert month.qualified == 5
    assert month.booked_from_qualified_calls == 3
    # The lost roof repair still booked an appointment.
    assert month.booked_from_qualified_forms == 2
    # Roof replacements: $12,000 at 32% = $3,840 plus $4,120 reported.
    assert {line.service_type: line.gross_profit for line in month.service_types}[
        "roof_replacement"
    ] == Decimal("7960.00")
    assert month.revenue == Decimal("28300.00")
    assert month.gross_profit == Decimal("8320.00")
    # $85.00 + $45.10 before the day, $175.20 on it.
    assert month.cost == Decimal("305.30")
    assert month.cost_per_booked_job == Decimal("61.06")


def test_classification_is_stored_on_leads(lone_star: ContractorReport) -> None:
    duplicate = get_lead("CA-d5")
    assert duplicate is not None
    assert duplicate["billable"] is False
    assert duplicate["billing_rule"] == "duplicate"


def test_subject_line(lone_star: ContractorReport) -> None:
    assert subject_line(lone_star) == (
        "Lone Star Roofing & Gutters — leads for Thu Dec 3: "
        "7 calls, 1 form, $175.20 cost, $4,480.00 gross profit"
    )


def test_text_shows_hand_checked_figures(lone_star: ContractorReport) -> None:
    text = render_contractor_report(lone_star).text
    assert "Answered within 3 rings (18\u00a0s)" in text
    assert "15.2 s" in text
    assert "$305.30" in text
    assert "2,457.1%" in text
    lines = text.splitlines()
    not_billed = next(line for line in lines if line.startswith("Not billed"))
    assert not_billed.split()[-2:] == ["5", "5"]
    duplicate = next(line for line in lines if line.startswith("  Duplicate"))
    assert duplicate.split()[-2:] == ["1", "1"]


def test_monthly_cap_spans_month_to_date(applied_example: Any) -> None:
    contractor = config_tables.get_contractor("lone-star-roofing")
    assert contractor is not None
    contractor["contracts"][0]["pricing"]["monthly_cap"] = Decimal("200.00")
    config_tables.put_record("contractors", contractor)
    store(lone_star_december())

    report = lone_star_report()

    # $130.10 before the day leaves $69.90 of the $200.00 cap for the day's $175.20.
    assert report.day.cost == Decimal("69.90")
    assert report.month.cost == Decimal("200.00")
    assert report.month.cost_lines[0].cap_reached is True


def bay_state_report(report_date: date) -> ContractorReport:
    agency = config_tables.get_setting("agency")
    contractor = config_tables.get_contractor("bay-state-hvac")
    assert agency is not None and contractor is not None
    return build_contractor_report(contractor, agency, report_date)


def test_spring_forward_day_has_23_hours(applied_example: Any) -> None:
    store(
        [
            # 23:59:59.999 EST on Mar 7: the day before.
            form_lead("form-before", "2026-03-08T04:59:59.999Z", "+16175550201", **BAY_STATE),
            # 00:00 EST on Mar 8.
            form_lead("form-first", "2026-03-08T05:00:00.000Z", "+16175550202", **BAY_STATE),
            # 23:59:59.999 EDT on Mar 8, after the clocks moved forward.
            form_lead("form-last", "2026-03-09T03:59:59.999Z", "+16175550203", **BAY_STATE),
            # 00:00 EDT on Mar 9.
            form_lead("form-after", "2026-03-09T04:00:00.000Z", "+16175550204", **BAY_STATE),
        ]
    )

    report = bay_state_report(date(2026, 3, 8))

    assert report.day.window.hours == 23
    assert report.day.forms == 2
    # $1,800 / 31 days in March, one day and eight days.
    assert report.day.cost == Decimal("1800.00") / 31
    assert cents(report.month.cost) == Decimal("464.52")
    assert report.month.forms == 3
    text = render_contractor_report(report).text
    assert "$58.06" in text
    assert "$464.52" in text
    assert "had 23 hours in America/New_York" in text


def test_fall_back_day_has_25_hours(applied_example: Any) -> None:
    store(
        [
            form_lead("form-before", "2026-11-01T03:59:59.999Z", "+16175550211", **BAY_STATE),
            form_lead("form-first", "2026-11-01T04:00:00.000Z", "+16175550212", **BAY_STATE),
            form_lead("form-last", "2026-11-02T04:59:59.999Z", "+16175550213", **BAY_STATE),
            form_lead("form-after", "2026-11-02T05:00:00.000Z", "+16175550214", **BAY_STATE),
        ]
    )

    report = bay_state_report(date(2026, 11, 1))

    assert report.day.window.hours == 25
    assert report.day.forms == 2
    # The first of the month: the month to date is the day, $1,800 / 30 days.
    assert report.month.forms == 2
    assert report.day.cost == Decimal("60")
    assert report.month.cost == Decimal("60")


def test_phoenix_day_has_24_hours_on_dst_date(applied_example: Any) -> None:
    store(
        [
            # 23:59:59.999 MST on Mar 7.
            call_lead(
                "CA-p0",
                "2026-03-08T06:59:59.999Z",
                "+16025550200",
                **CACTUS,
                result="answered",
                seconds_to_answer="5.0",
                connected_seconds=100,
                accepted=True,
            ),
            call_lead(
                "CA-p1",
                "2026-03-08T07:00:00.000Z",
                "+16025550201",
                **CACTUS,
                result="answered",
                seconds_to_answer="5.0",
                connected_seconds=100,
                accepted=True,
            ),
            form_lead("form-p2", "2026-03-09T06:59:59.999Z", "+16025550202", **CACTUS, ownership="renter"),
            call_lead("CA-p3", "2026-03-09T07:00:00.000Z", "+16025550203", **CACTUS, result="missed"),
        ]
    )
    agency = config_tables.get_setting("agency")
    contractor = config_tables.get_contractor("cactus-plumbing")
    assert agency is not None and contractor is not None

    report = build_contractor_report(contractor, agency, date(2026, 3, 8))

    assert report.day.window.hours == 24
    assert report.day.window.start == "2026-03-08T07:00:00.000Z"
    assert report.day.calls.total == 1
    assert report.day.forms == 1
    # Cactus does not bill renters.
    assert report.day.not_billed == {"renter": 1}
    assert report.day.cost == Decimal("38.50")
    assert report.month.cost == Decimal("77.00")
