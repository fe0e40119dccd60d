"""Leads for the nightly report tests, shaped as the call and form flows store them.

``LONE_STAR_DECEMBER`` is the hand-computed data set for Lone Star Roofing (examples/agency.yaml:
pay per lead, $45.10 or $85.00 for a roof replacement, America/Chicago) around Thursday
2026-12-03, whose local day is 06:00Z Dec 3 to 06:00Z Dec 4. The expected figures are worked
out in tests/integration/test_report_figures.py next to each assertion.
"""

import hashlib
from decimal import Decimal
from typing import Any

from leadline.storage.leads import UNASSIGNED, create_lead


def homeowner_key(trade: str, phone: str) -> str:
    return hashlib.sha256(f"{trade}#{phone}".encode()).hexdigest()


def call_lead(
    lead_id: str,
    received_at: str,
    phone: str,
    *,
    contractor_id: str,
    contract_id: str,
    trade: str,
    zip_code: str,
    result: str,
    seconds_to_answer: str | None = None,
    connected_seconds: int | None = None,
    accepted: bool | None = None,
    voicemail_left: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "lead_id": lead_id,
        "channel": "call",
        "received_at": received_at,
        "trade": trade,
        "zip": zip_code,
        "zip_source": "fixed",
        "contractor_id": contractor_id,
        "contract_id": contract_id,
        "assignment": "assigned",
        "caller_phone": phone,
        "homeowner_key": homeowner_key(trade, phone),
        "call_result": result,
        "voicemail_left": voicemail_left,
        **fields,
    }
    if seconds_to_answer is not None:
        lead["seconds_to_answer"] = Decimal(seconds_to_answer)
    if connected_seconds is not None:
        lead["connected_seconds"] = connected_seconds
    if accepted is not None:
        lead["accepted"] = accepted
    return lead


def form_lead(
    lead_id: str,
    received_at: str,
    phone: str,
    *,
    contractor_id: str,
    contract_id: str,
    trade: str,
    zip_code: str,
    **fields: Any,
) -> dict[str, Any]:
    return {
        "lead_id": lead_id,
        "channel": "form",
        "received_at": received_at,
        "trade": trade,
        "zip": zip_code,
        "zip_source": "form",
        "contractor_id": contractor_id,
        "contract_id": contract_id,
        "assignment": "assigned",
        "caller_phone": phone,
        "homeowner_key": homeowner_key(trade, phone),
        **fields,
    }


def unassigned_lead(
    lead_id: str, received_at: str, *, trade: str, zip_code: str | None, reason: str
) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "lead_id": lead_id,
        "channel": "call",
        "received_at": received_at,
        "trade": trade,
        "contractor_id": UNASSIGNED,
        "assignment": "unassigned",
        "unassigned_reason": reason,
        "call_result": "answered",
    }
    if zip_code:
        lead["zip"] = zip_code
    return lead


def outcome(
    *,
    booked: bool,
    won: bool | None = None,
    revenue: str | None = None,
    gross_profit: str | None = None,
    service_type: str | None = None,
) -> dict[str, Any]:
    return {
        "appointment_booked": booked,
        "appointment_at": None,
        "job_won": won,
        "revenue": Decimal(revenue) if revenue is not None else None,
        "gross_profit": Decimal(gross_profit) if gross_profit is not None else None,
        "service_type": service_type,
        "recorded_at": "2026-12-03T23:00:00.000Z",
        "source": "api",
    }


def store(leads: list[dict[str, Any]]) -> None:
    for lead in leads:
        assert create_lead({key: value for key, value in lead.items() if value is not None}), lead["lead_id"]


LONE_STAR = {
    "contractor_id": "lone-star-roofing",
    "contract_id": "lone-star-dallas-roofing",
    "trade": "roofing",
    "zip_code": "75201",
}
BAY_STATE = {
    "contractor_id": "bay-state-hvac",
    "contract_id": "bay-state-boston-hvac",
    "trade": "hvac",
    "zip_code": "02134",
}
CACTUS = {
    "contractor_id": "cactus-plumbing",
    "contract_id": "cactus-phoenix-plumbing",
    "trade": "plumbing",
    "zip_code": "85004",
}


def lone_star_december() -> list[dict[str, Any]]:
    """Lone Star's leads from Nov 30 to Dec 4, local time; the report day is Thu Dec 3."""
    return [
        # November 30, 23:59:59.999 local: last month, in no December window.
        call_lead(
            "CA-nov30",
            "2026-12-01T05:59:59.999Z",
            "+12145550110",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="3.0",
            connected_seconds=100,
            accepted=True,
        ),
        # Month to date before the day.
        call_lead(
            "CA-m1",
            "2026-12-01T15:00:00.000Z",
            "+12145550111",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="10.0",
            connected_seconds=120,
            accepted=True,
            service_type="roof_replacement",
            outcome=outcome(booked=True, won=True, revenue="12000.00", service_type="roof_replacement"),
        ),
        form_lead(
            "form-m2",
            "2026-12-02T16:00:00.000Z",
            "+12145550112",
            **LONE_STAR,
            service_type="roof_repair",
            outcome=outcome(booked=True, won=False, service_type="roof_repair"),
        ),
        # The day: local midnight exactly, so it belongs to Dec 3.
        call_lead(
            "CA-d1",
            "2026-12-03T06:00:00.000Z",
            "+12145550121",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="12.4",
            connected_seconds=300,
            accepted=True,
            service_type="roof_replacement",
            outcome=outcome(
                booked=True,
                won=True,
                revenue="14000.00",
                gross_profit="4120.00",
                service_type="roof_replacement",
            ),
        ),
        call_lead(
            "CA-d2",
            "2026-12-03T15:10:00.000Z",
            "+12145550122",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="25.0",
            connected_seconds=30,
            accepted=True,
        ),
        call_lead(
            "CA-d3",
            "2026-12-03T16:00:00.000Z",
            "+12145550123",
            **LONE_STAR,
            result="missed",
            voicemail_left=True,
        ),
        # Picked up by the contractor's voicemail: Twilio says answered, nobody pressed 1.
        call_lead(
            "CA-d4",
            "2026-12-03T17:00:00.000Z",
            "+12145550124",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="4.0",
            connected_seconds=35,
            accepted=False,
        ),
        # The same homeowner as CA-m1 two days later: a duplicate.
        call_lead(
            "CA-d5",
            "2026-12-03T18:00:00.000Z",
            "+12145550111",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="6.0",
            connected_seconds=200,
            accepted=True,
        ),
        # Answered at exactly 18 s, which is within 3 rings of 6 s.
        call_lead(
            "CA-d6",
            "2026-12-03T19:00:00.000Z",
            "+12145550125",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="18.0",
            connected_seconds=90,
            accepted=True,
            service_type="roof_repair",
            outcome=outcome(booked=True, won=True, revenue="800.00", service_type="roof_repair"),
        ),
        # A service type without a default margin and no gross profit reported.
        form_lead(
            "form-d7",
            "2026-12-03T20:00:00.000Z",
            "+12145550126",
            **LONE_STAR,
            service_type="skylight",
            outcome=outcome(booked=True, won=True, revenue="1500.00", service_type="skylight"),
        ),
        # 23:59:59.999 local on Dec 3: still the day.
        call_lead("CA-d8", "2026-12-04T05:59:59.999Z", "+12145550127", **LONE_STAR, result="missed"),
        # Local midnight of Dec 4: the next day.
        call_lead(
            "CA-next",
            "2026-12-04T06:00:00.000Z",
            "+12145550128",
            **LONE_STAR,
            result="answered",
            seconds_to_answer="5.0",
            connected_seconds=100,
            accepted=True,
        ),
    ]


def unowned_demand() -> list[dict[str, Any]]:
    """Unassigned leads around Thu 2026-12-03 in the agency's zone, America/Chicago."""
    return [
        unassigned_lead(
            "CA-u1", "2026-12-03T15:00:00.000Z", trade="roofing", zip_code="77002", reason="no_route"
        ),
        unassigned_lead(
            "CA-u2", "2026-12-03T16:00:00.000Z", trade="roofing", zip_code="77002", reason="no_route"
        ),
        unassigned_lead(
            "CA-u3", "2026-12-02T16:00:00.000Z", trade="roofing", zip_code="77002", reason="no_route"
        ),
        unassigned_lead(
            "CA-u4", "2026-12-03T17:00:00.000Z", trade="electrical", zip_code="80202", reason="paused"
        ),
        unassigned_lead(
            "CA-u5", "2026-12-03T18:00:00.000Z", trade="roofing", zip_code=None, reason="unknown_number"
        ),
        # Before the month: not counted.
        unassigned_lead(
            "CA-u6", "2026-11-30T18:00:00.000Z", trade="roofing", zip_code="77002", reason="no_route"
        ),
    ]
