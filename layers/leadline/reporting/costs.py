"""Lead cost per contract for the report's day and month to date.

Pay-per-lead contracts cost the price of each billable lead, capped per calendar month, so the
day's cost depends on what the month had already cost before it: the cap is applied to the
month's leads in the order they arrived. Flat monthly contracts cost the fee divided by the days
in the month, for each day of the period, whether leads came or not.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from leadline.economics.pricing import period_cost
from leadline.reporting.periods import Window


@dataclass(frozen=True)
class CostLine:
    """One contract's cost in a period. ``billable_leads`` counts the leads it priced."""

    contract_id: str
    trade: str
    model: str
    billable_leads: int
    amount: Decimal
    monthly_cap: Decimal | None
    cap_reached: bool


def contract_costs(
    contractor: dict[str, Any], *, day: Window, month: Window, month_leads: list[dict[str, Any]]
) -> tuple[list[CostLine], list[CostLine]]:
    """Return the cost lines of the day and of the month to date, one per contract.

    ``month_leads`` are the contractor's classified leads received in ``month``, which ends
    with ``day``.
    """
    if month.last_day != day.last_day or month.first_day > day.first_day:
        raise ValueError(
            f"month window {month.first_day}..{month.last_day} must end with the day {day.first_day}"
        )
    days_before = [each for each in month.days if each < day.first_day]

    day_lines: list[CostLine] = []
    month_lines: list[CostLine] = []
    for contract in contractor.get("contracts", []):
        billable = [
            lead
            for lead in sorted(month_leads, key=lambda lead: str(lead["received_at"]))
            if lead.get("billable") is True and lead.get("contract_id") == contract["id"]
        ]
        before = [lead for lead in billable if lead["received_at"] < day.start]
        on_day = [lead for lead in billable if day.contains(lead["received_at"])]

        cost_before = period_cost(contract, before, days_before, Decimal(0))
        day_cost = period_cost(contract, on_day, day.days, cost_before)
        month_cost = cost_before + day_cost

        pricing = contract["pricing"]
        cap = pricing.get("monthly_cap") if pricing.get("model") == "per_lead" else None
        cap_amount = Decimal(cap) if cap is not None else None
        cap_reached = cap_amount is not None and month_cost >= cap_amount
        for lines, leads, amount in (
            (day_lines, on_day, day_cost),
            (month_lines, before + on_day, month_cost),
        ):
            lines.append(
                CostLine(
                    contract_id=str(contract["id"]),
                    trade=str(contract["trade"]),
                    model=str(pricing["model"]),
                    billable_leads=len(leads),
                    amount=amount,
                    monthly_cap=cap_amount,
                    cap_reached=cap_reached,
                )
            )
    return day_lines, month_lines
