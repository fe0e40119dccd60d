"""Routing decisions: who gets a call, and whether it rings, goes to voicemail or to the agency.

Pure functions over stored records, so every case is tested without AWS. A ZIP nobody owns, a
paused owner or an unknown tracking number goes to the agency's fallback number, and the lead
is kept as unassigned because unsold demand is sales data.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfoNotFoundError

from leadline.calls.hours import is_open
from leadline.observability import logger
from leadline.storage.leads import UNASSIGNED

FALLBACK_RING_SECONDS = 30
DEFAULT_RING_SECONDS = 20

RouteAction = Literal["forward", "voicemail", "fallback"]
UnassignedReason = Literal["no_route", "paused", "unknown_number", "no_zip", "storage_error"]


@dataclass(frozen=True)
class CallPlan:
    """The voice webhook's decision for one call, with the lead fields that record it."""

    route_action: RouteAction
    # The number that <Dial> rings; None sends the caller to voicemail.
    dial_number: str | None
    ring_timeout_seconds: int
    after_hours: bool
    contractor_id: str
    contract_id: str | None = None
    unassigned_reason: UnassignedReason | None = None

    @property
    def assigned(self) -> bool:
        return self.contractor_id != UNASSIGNED

    def lead_fields(self) -> dict[str, Any]:
        """Return the lead attributes this plan decides; None values are left out when stored."""
        return {
            "contractor_id": self.contractor_id,
            "contract_id": self.contract_id,
            "assignment": "assigned" if self.assigned else "unassigned",
            "unassigned_reason": self.unassigned_reason,
            "route_action": self.route_action,
            "after_hours": self.after_hours,
        }


def fallback_plan(reason: UnassignedReason, fallback_number: str | None) -> CallPlan:
    """Send the call to the agency's number, or to voicemail when the agency has none."""
    return CallPlan(
        route_action="fallback" if fallback_number else "voicemail",
        dial_number=fallback_number,
        ring_timeout_seconds=FALLBACK_RING_SECONDS,
        after_hours=False,
        contractor_id=UNASSIGNED,
        unassigned_reason=reason,
    )


def plan_call(route: dict[str, Any] | None, fallback_number: str | None, moment: datetime) -> CallPlan:
    """Decide where a call to a known tracking number goes, given its route item (or None)."""
    if route is None:
        return fallback_plan("no_route", fallback_number)
    if route.get("paused"):
        return fallback_plan("paused", fallback_number)

    after_hours = not _within_hours(route, moment)
    forward = not after_hours or route.get("after_hours") == "forward"
    return CallPlan(
        route_action="forward" if forward else "voicemail",
        dial_number=str(route["forward_to"]) if forward else None,
        ring_timeout_seconds=int(route.get("ring_timeout_seconds") or DEFAULT_RING_SECONDS),
        after_hours=after_hours,
        contractor_id=str(route["contractor_id"]),
        contract_id=str(route["contract_id"]),
    )


def _within_hours(route: dict[str, Any], moment: datetime) -> bool:
    """Return whether the owner is open. Unreadable hours count as open, so the call still rings."""
    try:
        return is_open(route.get("business_hours") or {}, str(route["time_zone"]), moment)
    except (KeyError, ValueError, ZoneInfoNotFoundError) as error:
        logger.warning(
            "business hours unreadable; forwarding the call",
            contractor_id=route.get("contractor_id"),
            error_type=type(error).__name__,
        )
        return True
