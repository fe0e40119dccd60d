"""Lead costs under a contract's pricing, in unrounded Decimal dollars.

Two pricing models, as ``leadline config apply`` stores them on each contract:

- ``per_lead``: ``price`` per billable lead, or ``service_type_prices[service_type]`` when the
  lead's service type has its own price, with an optional ``monthly_cap`` on the month's total.
- ``flat_monthly``: ``monthly_fee`` per territory. A day costs the fee divided by the number of
  days in that calendar month, whatever the day's length in hours, so a 23-hour or 25-hour
  daylight-saving day costs the same as any other day of its month.

Nothing here rounds. Sum the unrounded amounts, then round once with ``money.cents``: the
daily fees of a whole month then add up to exactly the monthly fee.
"""

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

PER_LEAD = "per_lead"
FLAT_MONTHLY = "flat_monthly"

ZERO = Decimal(0)


def lead_price(pricing: dict[str, Any], service_type: str | None) -> Decimal:
    """Return the list price of one billable lead, before any monthly cap.

    ``per_lead`` returns the service type's own price when it has one, else the base price.
    ``flat_monthly`` returns 0, because its cost comes from the daily fee.
    """
    model = pricing.get("model")
    if model == PER_LEAD:
        service_prices = pricing.get("service_type_prices") or {}
        if service_type is not None and service_type in service_prices:
            return Decimal(service_prices[service_type])
        return Decimal(pricing["price"])
    if model == FLAT_MONTHLY:
        return ZERO
    raise ValueError(f"unknown pricing model {model!r}; expected {PER_LEAD!r} or {FLAT_MONTHLY!r}")


def daily_flat_fee(monthly_fee: Decimal, day: date) -> Decimal:
    """Return one day's share of a monthly fee: the fee divided by the days in ``day``'s month."""
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return Decimal(monthly_fee) / days_in_month


def period_cost(
    contract: dict[str, Any],
    billable_leads: list[dict[str, Any]],
    days: list[date],
    month_to_date_before: Decimal,
) -> Decimal:
    """Return what a contract costs for a period, unrounded.

    ``per_lead``: the sum of the leads' prices, capped so that ``month_to_date_before`` plus the
    result never exceeds ``monthly_cap``; ``days`` is not used. A lead's stored ``price`` (set
    when it was classified) wins over the contract's current price; leads marked
    ``billable: False`` are skipped. Pass one calendar month's leads at most, because the cap
    is per month and ``month_to_date_before`` is that month's cost before the period.

    ``flat_monthly``: the sum of ``daily_flat_fee`` over ``days``; leads are not used.
    """
    pricing = contract["pricing"]
    model = pricing.get("model")
    if model == FLAT_MONTHLY:
        return _sum(daily_flat_fee(Decimal(pricing["monthly_fee"]), day) for day in days)
    if model != PER_LEAD:
        raise ValueError(f"unknown pricing model {model!r} in contract {contract.get('id')!r}")

    total = _sum(
        _stored_or_list_price(pricing, lead) for lead in billable_leads if lead.get("billable") is not False
    )
    cap = pricing.get("monthly_cap")
    if cap is None:
        return total
    room_under_cap = max(ZERO, Decimal(cap) - Decimal(month_to_date_before))
    return min(total, room_under_cap)


def _stored_or_list_price(pricing: dict[str, Any], lead: dict[str, Any]) -> Decimal:
    if lead.get("price") is not None:
        return Decimal(lead["price"])
    return lead_price(pricing, lead.get("service_type"))


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)
