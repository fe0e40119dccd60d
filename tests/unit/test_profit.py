"""Gross profit: reported figures win, else revenue times the contractor's default margin."""

from decimal import Decimal

from leadline.economics.profit import effective_gross_profit

# Lone Star Roofing's default margins in examples/agency.yaml.
MARGINS = {"roof_replacement": Decimal("0.32"), "roof_repair": Decimal("0.45"), "gutters": Decimal("0.40")}


def test_reported_gross_profit_wins() -> None:
    outcome = {
        "revenue": Decimal("12400.00"),
        "gross_profit": Decimal("4100.00"),
        "service_type": "roof_replacement",
    }
    assert effective_gross_profit(outcome, MARGINS) == (Decimal("4100.00"), "reported")


def test_revenue_times_default_margin() -> None:
    outcome = {"revenue": Decimal("9800.00"), "gross_profit": None, "service_type": "roof_replacement"}
    profit, source = effective_gross_profit(outcome, MARGINS)
    # $9,800.00 x 0.32 = $3,136.00
    assert profit == Decimal("3136.00")
    assert source == "default_margin"


def test_default_margin_keeps_fractions_of_a_cent() -> None:
    outcome = {"revenue": Decimal("333.33"), "service_type": "roof_repair"}
    # $333.33 x 0.45 = $149.9985, rounded only at display.
    assert effective_gross_profit(outcome, MARGINS) == (Decimal("149.9985"), "default_margin")


def test_reported_loss_is_kept() -> None:
    outcome = {"revenue": Decimal("800.00"), "gross_profit": Decimal("-120.00"), "service_type": "gutters"}
    assert effective_gross_profit(outcome, MARGINS) == (Decimal("-120.00"), "reported")


def test_reported_zero_profit_is_not_replaced() -> None:
    outcome = {"revenue": Decimal("800.00"), "gross_profit": Decimal(0), "service_type": "gutters"}
    assert effective_gross_profit(outcome, MARGINS) == (Decimal(0), "reported")


def test_no_margin_for_service_type() -> None:
    outcome = {"revenue": Decimal("5000.00"), "service_type": "skylights"}
    assert effective_gross_profit(outcome, MARGINS) == (None, "none")


def test_revenue_without_service_type() -> None:
    assert effective_gross_profit({"revenue": Decimal("5000.00")}, MARGINS) == (None, "none")


def test_no_revenue() -> None:
    outcome = {"appointment_booked": True, "job_won": None, "service_type": "roof_repair"}
    assert effective_gross_profit(outcome, MARGINS) == (None, "none")
