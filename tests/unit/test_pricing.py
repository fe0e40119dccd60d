"""Pricing: per-lead prices and caps, flat monthly fees by day, and totals that add up in cents."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from leadline.economics.money import allocate_cents, cents
from leadline.economics.pricing import daily_flat_fee, lead_price, period_cost

# Lone Star Roofing's contract in examples/agency.yaml.
PER_LEAD: dict[str, Any] = {
    "id": "lone-star-dallas-roofing",
    "pricing": {
        "model": "per_lead",
        "price": Decimal("45.10"),
        "service_type_prices": {"roof_replacement": Decimal("85.00"), "roof_repair": Decimal("45.10")},
        "monthly_cap": Decimal("2500.00"),
    },
}
UNCAPPED: dict[str, Any] = {
    "id": "cactus-phoenix-plumbing",
    "pricing": {"model": "per_lead", "price": Decimal("38.50")},
}
FLAT_1800: dict[str, Any] = {
    "id": "bay-state-boston-hvac",
    "pricing": {"model": "flat_monthly", "monthly_fee": Decimal("1800.00")},
}
FLAT_2200: dict[str, Any] = {
    "id": "cowtown-tarrant-roofing",
    "pricing": {"model": "flat_monthly", "monthly_fee": Decimal("2200.00")},
}


def month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    days = []
    day = first
    while day.month == month:
        days.append(day)
        day += timedelta(days=1)
    return days


def lead(service_type: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"billable": True, "service_type": service_type, **fields}


def test_lead_price_uses_service_type_price() -> None:
    assert lead_price(PER_LEAD["pricing"], "roof_replacement") == Decimal("85.00")


def test_lead_price_falls_back_to_base_price() -> None:
    assert lead_price(PER_LEAD["pricing"], "gutters") == Decimal("45.10")


def test_lead_price_without_service_type() -> None:
    assert lead_price(PER_LEAD["pricing"], None) == Decimal("45.10")


def test_lead_price_of_flat_monthly_is_zero() -> None:
    assert lead_price(FLAT_1800["pricing"], "ac_install") == Decimal(0)


def test_lead_price_rejects_unknown_model() -> None:
    with pytest.raises(ValueError, match="unknown pricing model 'per_call'"):
        lead_price({"model": "per_call", "price": Decimal(1)}, None)


def test_per_lead_cost_sums_prices_below_cap() -> None:
    leads = [lead("roof_replacement"), lead("roof_repair"), lead(None)]
    # 85.00 + 45.10 + 45.10
    assert period_cost(PER_LEAD, leads, [], Decimal("1000.00")) == Decimal("175.20")


def test_monthly_cap_crossed_mid_day() -> None:
    # The month stood at $2,450.00 before the day; the day's leads list at $85.00 + $45.10 =
    # $130.10, but only $50.00 of room is left under the $2,500.00 cap.
    leads = [lead("roof_replacement"), lead("roof_repair")]
    cost = period_cost(PER_LEAD, leads, [], Decimal("2450.00"))
    assert cost == Decimal("50.00")
    assert Decimal("2450.00") + cost == Decimal("2500.00")


def test_day_after_cap_costs_nothing() -> None:
    assert period_cost(PER_LEAD, [lead("roof_replacement")], [], Decimal("2500.00")) == Decimal(0)


def test_cap_below_month_to_date_costs_nothing() -> None:
    assert period_cost(PER_LEAD, [lead()], [], Decimal("2600.00")) == Decimal(0)


def test_day_ending_exactly_at_cap() -> None:
    assert period_cost(PER_LEAD, [lead("roof_replacement")], [], Decimal("2415.00")) == Decimal("85.00")


def test_uncapped_contract_sums_every_lead() -> None:
    assert period_cost(UNCAPPED, [lead(), lead(), lead()], [], Decimal("5000.00")) == Decimal("115.50")


def test_stored_price_wins_over_current_price() -> None:
    # Classified while the base price was $40.00; the contract has since moved to $45.10.
    assert period_cost(UNCAPPED, [lead(price=Decimal("40.00"))], [], Decimal(0)) == Decimal("40.00")


def test_non_billable_leads_are_skipped() -> None:
    leads = [lead(), {"billable": False, "price": Decimal(0)}, {"billable": False}]
    assert period_cost(UNCAPPED, leads, [], Decimal(0)) == Decimal("38.50")


def test_daily_fee_in_30_day_month() -> None:
    assert daily_flat_fee(Decimal("1800.00"), date(2026, 9, 14)) == Decimal(60)


def test_30_day_month_adds_up_to_fee() -> None:
    days = month_days(2026, 9)
    assert len(days) == 30
    total = period_cost(FLAT_1800, [], days, Decimal(0))
    assert cents(total) == Decimal("1800.00")


def test_31_day_month_adds_up_to_fee() -> None:
    days = month_days(2026, 12)
    daily = daily_flat_fee(Decimal("1800.00"), days[0])
    assert cents(daily) == Decimal("58.06")
    # Rounding each day first loses 14 cents: 31 x $58.06 = $1,799.86.
    assert cents(daily) * 31 == Decimal("1799.86")
    # Summing unrounded days and rounding once gives the fee.
    assert cents(period_cost(FLAT_1800, [], days, Decimal(0))) == Decimal("1800.00")


def test_february_adds_up_to_fee() -> None:
    days = month_days(2026, 2)
    assert len(days) == 28
    assert cents(daily_flat_fee(Decimal("2200.00"), days[0])) == Decimal("78.57")
    assert cents(period_cost(FLAT_2200, [], days, Decimal(0))) == Decimal("2200.00")


def test_leap_february_adds_up_to_fee() -> None:
    days = month_days(2028, 2)
    assert len(days) == 29
    assert cents(daily_flat_fee(Decimal("2200.00"), days[0])) == Decimal("75.86")
    assert cents(period_cost(FLAT_2200, [], days, Decimal(0))) == Decimal("2200.00")


def test_days_summed_one_by_one_add_up() -> None:
    # A nightly report computes one day at a time; the month's days still add up to the fee.
    daily_costs = [period_cost(FLAT_1800, [], [day], Decimal(0)) for day in month_days(2026, 12)]
    assert cents(sum(daily_costs, Decimal(0))) == Decimal("1800.00")


def test_displayed_days_add_up_with_allocate_cents() -> None:
    daily_costs = [daily_flat_fee(Decimal("1800.00"), day) for day in month_days(2026, 12)]
    displayed = allocate_cents(daily_costs)
    assert sum(displayed, Decimal(0)) == Decimal("1800.00")
    # 14 of the 31 days show $58.07 and the other 17 show $58.06.
    assert displayed.count(Decimal("58.07")) == 14
    assert displayed.count(Decimal("58.06")) == 17


def test_month_to_date_of_partial_month() -> None:
    # December 1-4 of a $1,800.00 fee: 4 x $1,800.00 / 31 = $232.258..., displayed as $232.26.
    assert cents(period_cost(FLAT_1800, [], month_days(2026, 12)[:4], Decimal(0))) == Decimal("232.26")


@pytest.mark.parametrize(
    ("dst_day", "ordinary_day"),
    [
        (date(2026, 3, 8), date(2026, 3, 9)),  # US clocks spring forward: a 23-hour day
        (date(2026, 11, 1), date(2026, 11, 2)),  # US clocks fall back: a 25-hour day
        (date(2026, 3, 29), date(2026, 3, 30)),  # EU clocks spring forward
    ],
)
def test_daily_fee_ignores_day_length(dst_day: date, ordinary_day: date) -> None:
    assert daily_flat_fee(Decimal("2200.00"), dst_day) == daily_flat_fee(Decimal("2200.00"), ordinary_day)


def test_flat_monthly_ignores_leads() -> None:
    cost = period_cost(FLAT_1800, [lead(price=Decimal("99.00"))], [date(2026, 9, 1)], Decimal("500.00"))
    assert cost == Decimal(60)
