"""Classify stored leads: decide which bill, price them, and write the decision on each lead.

A lead gets ``billable``, ``billing_rule``, ``rules_version``, ``price``, ``billing_inputs``
and ``classified_at``. ``price`` is the list price of a billable lead and 0 otherwise, because
``pricing.period_cost`` applies a monthly cap to totals, not to single leads.
``billing_inputs`` is a fingerprint of the lead fields that the decision read.

Definitions that need the tables:

- Duplicate: the same homeowner (``homeowner_key``, a hash of trade and caller phone) has an
  earlier lead, received at most ``duplicate_window_days`` before this one, that bills to the
  same contractor. An earlier lead that did not bill (a missed call, say) does not make the
  next one a duplicate, so a homeowner who calls back after a missed call is billed once. One
  Query on the ByHomeowner index per lead; decisions made earlier in the same run are used
  because the index may lag behind them.
- Outside territory: the lead is assigned and has a ZIP, but the route for (trade, ZIP), read
  when the lead is classified, belongs to another contractor or to nobody. This happens when a
  lead was routed by another ZIP than the one it carries (a caller-entered ZIP that nobody
  owns, routed to the number's default ZIP), or when the slot was released or transferred
  before classification.

A lead is decided once: it is decided again only when one of its own input fields changes,
and then under the contract's current rules. Changing the rules or prices does not rewrite
decisions already stored.

DynamoDB permissions used: Query on the LeadsTable ByHomeowner index, UpdateItem and GetItem on
LeadsTable, GetItem on RoutesTable and SettingsTable.
"""

import hashlib
import json
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from leadline import clock
from leadline.economics.pricing import lead_price
from leadline.economics.rules import BillingDecision, decide
from leadline.observability import logger
from leadline.storage import config_tables, lead_billing, routes
from leadline.storage import leads as lead_store

# Lead fields a decision reads. The decision is written only while they still hold these values.
INPUT_FIELDS = (
    "contractor_id",
    "contract_id",
    "assignment",
    "channel",
    "trade",
    "zip",
    "caller_phone",
    "homeowner_key",
    "spam",
    "ownership",
    "service_type",
    "call_result",
    "accepted",
    "connected_seconds",
    "voicemail_left",
)
MAX_WRITE_ATTEMPTS = 3


class _Run:
    """Caches for one ``classify_leads`` call: routes, agency rules, decisions made so far."""

    def __init__(self) -> None:
        self.route_owners: dict[tuple[str, str], str | None] = {}
        self.billable_by_lead: dict[str, bool] = {}
        self._agency_rules: dict[str, Any] | None = None

    def route_owner(self, trade: str, zip_code: str) -> str | None:
        if (trade, zip_code) not in self.route_owners:
            route = routes.get_route(trade, zip_code)
            self.route_owners[(trade, zip_code)] = str(route["contractor_id"]) if route else None
        return self.route_owners[(trade, zip_code)]

    def agency_rules(self) -> dict[str, Any]:
        if self._agency_rules is None:
            agency = config_tables.get_setting("agency") or {}
            self._agency_rules = dict(agency.get("lead_rules") or {})
        return self._agency_rules


def classify_leads(contractor: dict[str, Any], leads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Decide and store billing for a contractor's leads. Returns the leads in the same order.

    Leads already decided from the same inputs are returned as they are. Pending calls and
    leads whose contract is not on the contractor are returned without billing fields. Leads
    whose ``contractor_id`` is ``UNASSIGNED`` are decided as "unassigned" under the agency's
    rules. Raises ValueError for a lead of another contractor.
    """
    contractor_id = str(contractor["contractor_id"])
    contracts = {str(contract["id"]): contract for contract in contractor.get("contracts") or []}
    run = _Run()
    decided: dict[str, dict[str, Any]] = {}
    for lead in sorted(leads, key=lambda item: (str(item.get("received_at", "")), item["lead_id"])):
        owner = lead.get("contractor_id")
        if owner not in (contractor_id, lead_store.UNASSIGNED):
            raise ValueError(
                f"lead {lead['lead_id']!r} belongs to {owner!r}, not {contractor_id!r}; "
                "classify each contractor's leads with that contractor"
            )
        decided[lead["lead_id"]] = _classify_with_retries(lead, contracts, run)
    return [decided[lead["lead_id"]] for lead in leads]


def inputs_fingerprint(lead: dict[str, Any]) -> str:
    """Return a SHA-256 hex digest of the lead's decision inputs, independent of number types."""
    canonical = {field: _canonical(lead.get(field)) for field in INPUT_FIELDS}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode("utf-8")).hexdigest()


def _classify_with_retries(
    lead: dict[str, Any], contracts: dict[str, dict[str, Any]], run: _Run
) -> dict[str, Any]:
    current = lead
    for _ in range(MAX_WRITE_ATTEMPTS):
        outcome = _classify_one(current, contracts, run)
        if outcome is not None:
            return outcome
        reloaded = lead_store.get_lead(current["lead_id"], consistent=True)
        if reloaded is None:
            break
        current = reloaded
    logger.warning("lead classification skipped", lead_id=lead["lead_id"], reason="inputs kept changing")
    return current


def _classify_one(
    lead: dict[str, Any], contracts: dict[str, dict[str, Any]], run: _Run
) -> dict[str, Any] | None:
    """Return the classified lead, or None when the lead changed before the decision was written."""
    if lead.get("channel") == "call" and lead.get("call_result") in (None, "pending"):
        return lead
    fingerprint = inputs_fingerprint(lead)
    if lead.get("billing_rule") and lead.get("billing_inputs") == fingerprint:
        run.billable_by_lead[lead["lead_id"]] = bool(lead.get("billable"))
        return lead

    if lead.get("contractor_id") == lead_store.UNASSIGNED:
        decision = decide(lead, run.agency_rules(), is_duplicate=False)
        price = Decimal(0)
    else:
        contract = contracts.get(str(lead.get("contract_id")))
        if contract is None:
            logger.warning(
                "lead contract not found", lead_id=lead["lead_id"], contract_id=lead.get("contract_id")
            )
            return lead
        decision = _decide_assigned(lead, contract, run)
        price = lead_price(contract["pricing"], lead.get("service_type")) if decision.billable else Decimal(0)

    fields = {
        "billable": decision.billable,
        "billing_rule": decision.rule,
        "rules_version": decision.rules_version,
        "price": price,
        "billing_inputs": fingerprint,
        "classified_at": clock.utc_now_iso(),
    }
    expected = {field: lead.get(field) for field in INPUT_FIELDS}
    if not lead_billing.store_decision(lead["lead_id"], fields, expected):
        return None
    run.billable_by_lead[lead["lead_id"]] = decision.billable
    return {**lead, **fields}


def _decide_assigned(lead: dict[str, Any], contract: dict[str, Any], run: _Run) -> BillingDecision:
    rules = contract.get("lead_rules") or {}
    return decide(
        lead,
        rules,
        is_duplicate=_is_duplicate(lead, int(rules.get("duplicate_window_days", 0)), run),
        is_outside_territory=_is_outside_territory(lead, run),
    )


def _is_duplicate(lead: dict[str, Any], window_days: int, run: _Run) -> bool:
    homeowner_key = lead.get("homeowner_key")
    if not homeowner_key or window_days <= 0:
        return False
    received_at = str(lead["received_at"])
    window_start = clock.to_iso(clock.from_iso(received_at) - timedelta(days=window_days))
    earlier = _earlier_than(lead, lead_billing.homeowner_leads(str(homeowner_key), window_start, received_at))
    for other in earlier:
        if other.get("contractor_id") != lead.get("contractor_id"):
            continue
        billable = run.billable_by_lead.get(other["lead_id"], other.get("billable"))
        if billable is True:
            return True
    return False


def _earlier_than(lead: dict[str, Any], candidates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep leads received before ``lead``; on an equal timestamp the smaller lead_id is earlier."""
    position = (str(lead["received_at"]), str(lead["lead_id"]))
    return [other for other in candidates if (str(other["received_at"]), str(other["lead_id"])) < position]


def _is_outside_territory(lead: dict[str, Any], run: _Run) -> bool:
    zip_code = lead.get("zip")
    if not zip_code or not lead.get("trade"):
        return False
    return run.route_owner(str(lead["trade"]), str(zip_code)) != lead.get("contractor_id")


def _canonical(value: Any) -> Any:
    """Return a JSON-ready value in which 60, 60.0 and Decimal("60") are the same string."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | Decimal):
        return format(Decimal(value).normalize(), "f")
    return str(value)
