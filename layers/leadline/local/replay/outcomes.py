"""Demo step: contractors report outcomes for the day's leads over HTTP, and a CRM file is imported.

Runs after the call and form steps. Lead ids come from ``context.notes["lead_ids"]`` when an
earlier step stored them there, else from a scan of the leads table. With no assigned leads the
step returns one summary row saying so and does nothing else.

Amounts are fixed so a reader can check the report by hand: the first contractor's first lead
reports revenue $12,400.00 with gross profit $4,100.00; its second lead reports revenue
$980.00 without gross profit, so the contractor's default margin for the service type applies.
The CSV file in out/outcomes.csv books an appointment for one lead of another contractor and
reports a won job of $3,250.00 without gross profit for a second one.
"""

import json
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from leadline import clock
from leadline.api_keys import issue_key
from leadline.economics.money import format_usd
from leadline.economics.outcome_import import apply_import, plan_import
from leadline.economics.profit import effective_gross_profit
from leadline.local.replay.context import ReplayContext, SummaryRow
from leadline.storage import config_tables, dynamo, leads

FLOW = "outcomes"
REPORTED_REVENUE = Decimal("12400.00")
REPORTED_GROSS_PROFIT = Decimal("4100.00")
REVENUE_ONLY = Decimal("980.00")
CSV_REVENUE = Decimal("3250.00")
WRONG_KEY = "ll_" + "0" * 43


def replay_outcomes(context: ReplayContext) -> list[SummaryRow]:
    by_contractor = _assigned_leads_by_contractor(context)
    if not by_contractor:
        return [SummaryRow(FLOW, "skipped", "no assigned leads stored: the call and form steps did not run")]

    # The contractor with the most leads reports through the API; the others use the CSV import.
    contractor_ids = sorted(by_contractor, key=lambda cid: (-len(by_contractor[cid]), cid))
    api_contractor = contractor_ids[0]
    key = issue_key(api_contractor)
    rows = [SummaryRow(FLOW, f"issue key for {api_contractor}", "key issued; only its SHA-256 is stored")]
    rows += _post_outcomes(context, key, api_contractor, by_contractor[api_contractor])

    others = {cid: by_contractor[cid] for cid in contractor_ids[1:]}
    if others:
        rows.append(_post_other_contractors_lead(context, key, api_contractor, others))
        rows.extend(_import_csv(context, others))
    else:
        rows.append(SummaryRow(FLOW, "CSV import", "skipped: only one contractor has leads today"))
    return rows


def _assigned_leads_by_contractor(context: ReplayContext) -> dict[str, list[dict[str, Any]]]:
    noted = context.notes.get("lead_ids")
    if noted:
        found = [leads.get_lead(str(lead_id)) for lead_id in noted]
        all_leads = [lead for lead in found if lead is not None]
    else:
        paginator = dynamo.client().get_paginator("scan")
        all_leads = [
            dynamo.from_item(item)
            for page in paginator.paginate(TableName=dynamo.tables().leads)
            for item in page["Items"]
        ]
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for lead in sorted(all_leads, key=_preference):
        if lead.get("contractor_id") not in (None, leads.UNASSIGNED):
            grouped[str(lead["contractor_id"])].append(lead)
    return dict(grouped)


def _preference(lead: dict[str, Any]) -> tuple[int, str]:
    """Sort connected calls and forms first, because outcomes of qualified leads show in reports."""
    connected = lead.get("channel") == "form" or lead.get("call_result") == "answered"
    return (0 if connected else 1, str(lead.get("received_at", "")))


def _post_outcomes(
    context: ReplayContext, key: str, contractor_id: str, own_leads: list[dict[str, Any]]
) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    margins = _default_margins(contractor_id)

    first = own_leads[0]
    with_profit = {
        "appointment_booked": True,
        "appointment_at": _next_day(first),
        "job_won": True,
        "revenue": str(REPORTED_REVENUE),
        "gross_profit": str(REPORTED_GROSS_PROFIT),
        "service_type": _service_type(first, margins),
    }
    rows.append(_post(context, key, first, with_profit, "with gross profit", margins))

    if len(own_leads) > 1:
        second = own_leads[1]
        revenue_only = {
            "appointment_booked": True,
            "appointment_at": _next_day(second),
            "job_won": True,
            "revenue": str(REVENUE_ONLY),
            "service_type": _service_type(second, margins),
        }
        rows.append(_post(context, key, second, revenue_only, "revenue only", margins))

    response = context.post_json(
        _path(first), {"appointment_booked": False}, headers={"Authorization": f"Bearer {WRONG_KEY}"}
    )
    rows.append(SummaryRow(FLOW, "POST with a wrong key", f"{response.status} {_message(response.body)}"))
    return rows


def _post(
    context: ReplayContext,
    key: str,
    lead: dict[str, Any],
    payload: dict[str, Any],
    case: str,
    margins: dict[str, Any],
) -> SummaryRow:
    response = context.post_json(_path(lead), payload, headers={"Authorization": f"Bearer {key}"})
    if response.status not in (200, 201):
        result = f"{response.status} {_message(response.body)}"
        return SummaryRow(FLOW, f"POST {lead['lead_id']} {case}", result)
    outcome = response.json()["outcome"]
    amounts = {"revenue": Decimal(outcome["revenue"]), "gross_profit": _decimal(outcome["gross_profit"])}
    profit, source = effective_gross_profit({**outcome, **amounts}, margins)
    profit_text = format_usd(profit) if profit is not None else "unknown"
    result = (
        f"{response.status}: revenue {format_usd(Decimal(outcome['revenue']))}, gross profit {profit_text} "
        f"({source.replace('_', ' ')}, {outcome['service_type']})"
    )
    return SummaryRow(FLOW, f"POST {lead['lead_id']} {case}", result)


def _post_other_contractors_lead(
    context: ReplayContext, key: str, contractor_id: str, others: dict[str, list[dict[str, Any]]]
) -> SummaryRow:
    other_lead = next(iter(others.values()))[0]
    response = context.post_json(
        _path(other_lead), {"appointment_booked": True}, headers={"Authorization": f"Bearer {key}"}
    )
    case = f"POST {other_lead['lead_id']} with {contractor_id}'s key"
    return SummaryRow(FLOW, case, f"{response.status} {_message(response.body)}")


def _import_csv(context: ReplayContext, others: dict[str, list[dict[str, Any]]]) -> list[SummaryRow]:
    candidates = [lead for contractor_leads in others.values() for lead in contractor_leads][:2]
    lines = ["lead_id,appointment_booked,appointment_at,job_won,revenue,gross_profit,service_type"]
    booked = candidates[0]
    lines.append(f"{booked['lead_id']},yes,{_next_day(booked)},,,,")
    if len(candidates) > 1:
        won = candidates[1]
        service_type = _service_type(won, _default_margins(str(won["contractor_id"])))
        lines.append(f"{won['lead_id']},yes,{_next_day(won)},yes,\"{format_usd(CSV_REVENUE)}\",,{service_type}")
    path = context.out_dir / "outcomes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    rows: list[SummaryRow] = []
    for case in ("import out/outcomes.csv", "import out/outcomes.csv again"):
        plan = plan_import(path)
        if plan.problems:
            return [*rows, SummaryRow(FLOW, case, "invalid: " + "; ".join(plan.problems))]
        result = apply_import(plan)
        rows.append(SummaryRow(FLOW, case, f"{result.recorded} recorded, {result.unchanged} unchanged"))
    return rows


def _default_margins(contractor_id: str) -> dict[str, Any]:
    contractor = config_tables.get_contractor(contractor_id) or {}
    return dict(contractor.get("default_margins") or {})


def _service_type(lead: dict[str, Any], margins: dict[str, Any]) -> str | None:
    if lead.get("service_type"):
        return str(lead["service_type"])
    return sorted(margins)[0] if margins else None


def _next_day(lead: dict[str, Any]) -> str:
    received = clock.from_iso(str(lead.get("received_at") or clock.utc_now_iso()))
    return clock.to_iso(received + timedelta(days=1))


def _path(lead: dict[str, Any]) -> str:
    return f"/leads/{lead['lead_id']}/outcome"


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _message(body: str) -> str:
    """Return the ``message`` of a JSON error body, or the start of any other body."""
    try:
        return str(json.loads(body).get("message", ""))
    except (ValueError, AttributeError):
        return body[:80]
