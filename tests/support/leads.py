"""Lead items as the call and form flows store them, for tests that start after routing."""

import hashlib
from typing import Any

from leadline.storage import leads


def homeowner_key(trade: str, phone: str) -> str:
    return hashlib.sha256(f"{trade}#{phone}".encode()).hexdigest()


def call_lead(
    lead_id: str,
    *,
    contractor_id: str = "lone-star-roofing",
    contract_id: str | None = "lone-star-dallas-roofing",
    trade: str = "roofing",
    zip_code: str = "75201",
    received_at: str = "2026-12-03T15:00:00.000Z",
    caller_phone: str | None = "+12145550177",
    call_result: str = "answered",
    connected_seconds: int | None = 95,
    **fields: Any,
) -> dict[str, Any]:
    """Return an answered, accepted call; pass fields to change it (None values are dropped)."""
    lead: dict[str, Any] = {
        "lead_id": lead_id,
        "channel": "call",
        "received_at": received_at,
        "trade": trade,
        "zip": zip_code,
        "zip_source": "fixed",
        "site": "Dallas Roof Pros",
        "tracking_number": "+12145550100",
        "contractor_id": contractor_id,
        "contract_id": contract_id,
        "assignment": "unassigned" if contractor_id == leads.UNASSIGNED else "assigned",
        "caller_phone": caller_phone,
        "homeowner_key": homeowner_key(trade, caller_phone) if caller_phone else None,
        "call_result": call_result,
        "accepted": call_result == "answered",
        "connected_seconds": connected_seconds,
    }
    lead.update(fields)
    return {key: value for key, value in lead.items() if value is not None}


def form_lead(
    lead_id: str,
    *,
    contractor_id: str = "cactus-plumbing",
    contract_id: str | None = "cactus-phoenix-plumbing",
    trade: str = "plumbing",
    zip_code: str = "85004",
    received_at: str = "2026-12-03T16:00:00.000Z",
    caller_phone: str | None = "+16025550177",
    **fields: Any,
) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "lead_id": lead_id,
        "channel": "form",
        "received_at": received_at,
        "trade": trade,
        "zip": zip_code,
        "zip_source": "form",
        "site": "Phoenix Plumbers Now",
        "contractor_id": contractor_id,
        "contract_id": contract_id,
        "assignment": "unassigned" if contractor_id == leads.UNASSIGNED else "assigned",
        "caller_phone": caller_phone,
        "homeowner_key": homeowner_key(trade, caller_phone) if caller_phone else None,
        "ownership": "owner",
    }
    lead.update(fields)
    return {key: value for key, value in lead.items() if value is not None}


def store(*new_leads: dict[str, Any]) -> None:
    for lead in new_leads:
        assert leads.create_lead(lead), f"lead {lead['lead_id']} exists already"
