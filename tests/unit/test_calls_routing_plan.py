"""Routing decisions over stored route items, without AWS."""

from datetime import UTC, datetime
from typing import Any

from leadline.calls.routing import FALLBACK_RING_SECONDS, fallback_plan, plan_call

OPEN = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # Wednesday 10:00 in Chicago
CLOSED = datetime(2026, 12, 3, 3, 30, tzinfo=UTC)  # Wednesday 21:30 in Chicago
FALLBACK = "+15125550199"


def route(**changes: Any) -> dict[str, Any]:
    return {
        "trade": "roofing",
        "zip": "75201",
        "contractor_id": "lone-star-roofing",
        "contract_id": "lone-star-dallas-roofing",
        "forward_to": "+12145550101",
        "sms_phone": "+12145550102",
        "time_zone": "America/Chicago",
        "business_hours": {"mon": "07:00-19:00", "tue": "07:00-19:00", "wed": "07:00-19:00"},
        "after_hours": "voicemail",
        "ring_timeout_seconds": 25,
        "text_back": True,
        "paused": False,
        **changes,
    }


def test_open_owner_is_rung() -> None:
    plan = plan_call(route(), FALLBACK, OPEN)

    assert plan.route_action == "forward"
    assert plan.dial_number == "+12145550101"
    assert plan.ring_timeout_seconds == 25
    assert plan.after_hours is False
    assert plan.contractor_id == "lone-star-roofing"
    assert plan.contract_id == "lone-star-dallas-roofing"
    assert plan.unassigned_reason is None


def test_closed_owner_who_forwards_is_rung() -> None:
    plan = plan_call(route(after_hours="forward"), FALLBACK, CLOSED)

    assert plan.route_action == "forward"
    assert plan.after_hours is True


def test_closed_owner_who_takes_voicemail_is_not_rung() -> None:
    plan = plan_call(route(), FALLBACK, CLOSED)

    assert plan.route_action == "voicemail"
    assert plan.dial_number is None
    assert plan.contractor_id == "lone-star-roofing"


def test_missing_route_goes_to_the_agency() -> None:
    plan = plan_call(None, FALLBACK, OPEN)

    assert plan.route_action == "fallback"
    assert plan.dial_number == FALLBACK
    assert plan.ring_timeout_seconds == FALLBACK_RING_SECONDS
    assert plan.contractor_id == "UNASSIGNED"
    assert plan.unassigned_reason == "no_route"
    assert plan.lead_fields()["assignment"] == "unassigned"


def test_paused_owner_goes_to_the_agency() -> None:
    plan = plan_call(route(paused=True), FALLBACK, OPEN)

    assert plan.route_action == "fallback"
    assert plan.unassigned_reason == "paused"


def test_no_fallback_number_means_voicemail() -> None:
    plan = fallback_plan("unknown_number", None)

    assert plan.route_action == "voicemail"
    assert plan.dial_number is None


def test_unreadable_hours_still_ring() -> None:
    plan = plan_call(route(time_zone="Mars/Olympus_Mons"), FALLBACK, CLOSED)

    assert plan.route_action == "forward"
    assert plan.after_hours is False
