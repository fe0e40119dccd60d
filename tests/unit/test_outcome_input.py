"""Outcome validation: one problem per bad field, named, with the fix."""

from decimal import Decimal
from typing import Any

import pytest

from leadline.economics.outcomes import (
    OutcomeValidationError,
    outcome_as_json,
    parse_json_body,
    validate_outcome,
)


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(OutcomeValidationError) as caught:
        validate_outcome(data)
    return {problem.field: problem.message for problem in caught.value.problems}


def test_full_outcome_is_normalised() -> None:
    record = validate_outcome({
        "appointment_booked": True,
        "appointment_at": "2026-12-07T14:00:00-06:00",
        "job_won": True,
        "revenue": "$12,400.00",
        "gross_profit": Decimal("4100.00"),
        "service_type": " Roof Replacement ",
    }).as_record()
    assert record == {
        "appointment_booked": True,
        "appointment_at": "2026-12-07T20:00:00.000Z",
        "job_won": True,
        "revenue": Decimal("12400.00"),
        "gross_profit": Decimal("4100.00"),
        "service_type": "roof_replacement",
    }


def test_minimal_outcome() -> None:
    record = validate_outcome({"appointment_booked": False}).as_record()
    assert record["job_won"] is None
    assert record["revenue"] is None


def test_missing_booked_flag() -> None:
    assert problems({}) == {"appointment_booked": "required field is missing"}


def test_string_boolean_is_rejected() -> None:
    assert problems({"appointment_booked": "true"}) == {"appointment_booked": "'true' is not true or false"}


def test_naive_time_is_rejected() -> None:
    found = problems({"appointment_booked": True, "appointment_at": "2026-12-07T14:00"})
    assert found["appointment_at"].startswith("needs a UTC offset")


def test_timestamp_number_is_rejected() -> None:
    found = problems({"appointment_booked": True, "appointment_at": 1796415714})
    assert "is not a date and time" in found["appointment_at"]


def test_time_without_booking_is_rejected() -> None:
    found = problems({"appointment_booked": False, "appointment_at": "2026-12-07T14:00:00Z"})
    assert found == {"appointment_at": "set only when appointment_booked is true"}


def test_profit_above_revenue_is_rejected() -> None:
    found = problems({"appointment_booked": True, "job_won": True, "revenue": "100", "gross_profit": "200"})
    assert found == {"gross_profit": "200 is more than the revenue 100; check both"}


def test_negative_revenue_is_rejected() -> None:
    found = problems({"appointment_booked": True, "job_won": True, "revenue": "-5"})
    assert "negative" in found["revenue"]


def test_loss_is_accepted() -> None:
    data = {"appointment_booked": True, "job_won": True, "revenue": "800", "gross_profit": "-120"}
    outcome = validate_outcome(data)
    assert outcome.gross_profit == Decimal("-120")


def test_bad_service_type_is_rejected() -> None:
    assert "invalid" in problems({"appointment_booked": True, "service_type": "roof/repair"})["service_type"]


def test_every_bad_field_is_listed() -> None:
    found = problems({"appointment_booked": 1, "job_won": "no", "revenue": 1.5, "extra": True})
    assert set(found) == {"appointment_booked", "job_won", "revenue", "extra"}


def test_json_decimals_are_exact() -> None:
    assert parse_json_body('{"revenue": 0.10}') == {"revenue": Decimal("0.10")}


def test_json_infinity_is_rejected() -> None:
    with pytest.raises(OutcomeValidationError, match="not valid JSON"):
        parse_json_body('{"revenue": Infinity}')


def test_json_response_shows_cents() -> None:
    rendered = outcome_as_json({"revenue": Decimal("980"), "gross_profit": None, "job_won": True})
    assert rendered == {"revenue": "980.00", "gross_profit": None, "job_won": True}
