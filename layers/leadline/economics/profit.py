"""Gross profit of an outcome: as reported, or estimated from the contractor's default margin."""

from decimal import Decimal
from typing import Any

REPORTED = "reported"
DEFAULT_MARGIN = "default_margin"
NONE = "none"


def effective_gross_profit(
    outcome: dict[str, Any], default_margins: dict[str, Any]
) -> tuple[Decimal | None, str]:
    """Return the outcome's gross profit, unrounded, and where it came from.

    - ``(gross_profit, "reported")`` when the contractor reported a gross profit;
    - ``(revenue * margin, "default_margin")`` when only revenue was reported and
      ``default_margins`` has a margin (a fraction such as 0.32) for the outcome's service type;
    - ``(None, "none")`` otherwise: no revenue, no service type, or no margin for it.

    The outcome's own ``service_type`` selects the margin. Callers that want the lead's service
    type to apply when the outcome has none pass ``{**outcome, "service_type": ...}``.
    """
    gross_profit = outcome.get("gross_profit")
    if gross_profit is not None:
        return Decimal(gross_profit), REPORTED

    revenue = outcome.get("revenue")
    service_type = outcome.get("service_type")
    if revenue is None or service_type is None:
        return None, NONE
    margin = default_margins.get(service_type)
    if margin is None:
        return None, NONE
    return Decimal(revenue) * Decimal(margin), DEFAULT_MARGIN
