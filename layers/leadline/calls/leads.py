"""The call lead record: the fields every call lead starts with, from the webhook and the number."""

from datetime import datetime
from typing import Any

from leadline.calls.caller_id import caller_phone, homeowner_key
from leadline.calls.webhooks import CallRequest
from leadline.clock import to_iso


def new_call_lead(call: CallRequest, number: dict[str, Any] | None, moment: datetime) -> dict[str, Any]:
    """Return the lead fields known before routing. None values are not stored.

    ``tracking_number`` is the called number even when it is not configured, so unknown
    numbers show up in the unassigned leads.
    """
    trade = number.get("trade") if number else None
    phone = caller_phone(call.caller)
    return {
        "lead_id": call.call_sid,
        "channel": "call",
        "received_at": to_iso(moment),
        "trade": trade,
        "site": number.get("site") if number else None,
        "tracking_number": call.called or None,
        "caller_phone": phone,
        "homeowner_key": homeowner_key(trade, phone),
        "call_result": "pending",
    }
