"""The report's figures for one contractor and one period, computed from classified leads.

Everything here is a pure function of lead records (see the lead record in the README), so the
day and month-to-date columns are computed the same way. Amounts stay unrounded Decimal; the
renderers round them to cents for display.
"""

import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from leadline.economics.profit import effective_gross_profit
from leadline.economics.rules import RULES
from leadline.reporting.costs import CostLine
from leadline.reporting.periods import Window

UNSPECIFIED_SERVICE = "unspecified"
NOT_BILLED_RULES = tuple(rule for rule in RULES if rule != "billable")


@dataclass(frozen=True)
class AnswerSettings:
    """The answer-speed threshold: ``answered_within_rings`` rings of ``ring_seconds`` each."""

    answered_within_rings: int = 3
    ring_seconds: int = 6

    @property
    def threshold_seconds(self) -> Decimal:
        return Decimal(self.answered_within_rings * self.ring_seconds)

    @classmethod
    def from_agency(cls, agency: dict[str, Any]) -> "AnswerSettings":
        report = agency.get("report") or {}
        return cls(
            answered_within_rings=int(report.get("answered_within_rings", cls.answered_within_rings)),
            ring_seconds=int(report.get("ring_seconds", cls.ring_seconds)),
        )


@dataclass(frozen=True)
class CallFigures:
    total: int
    answered: int
    answered_within: int
    missed: int
    voicemails: int
    pending: int
    median_seconds_to_answer: Decimal | None


@dataclass(frozen=True)
class ServiceTypeLine:
    """Closed jobs of one service type. ``gross_profit`` sums the jobs whose profit is known."""

    service_type: str
    jobs: int
    revenue: Decimal
    gross_profit: Decimal
    jobs_on_default_margin: int
    jobs_without_profit: int


@dataclass(frozen=True)
class PeriodFigures:
    window: Window
    calls: CallFigures
    forms: int
    qualified: int
    qualified_calls: int
    qualified_forms: int
    not_billed: dict[str, int]
    unclassified: int
    booked_from_qualified_calls: int
    booked_from_qualified_forms: int
    service_types: list[ServiceTypeLine]
    cost_lines: list[CostLine] = field(default_factory=list)

    @property
    def leads(self) -> int:
        return self.calls.total + self.forms

    @property
    def booked(self) -> int:
        return self.booked_from_qualified_calls + self.booked_from_qualified_forms

    @property
    def booking_rate(self) -> Decimal | None:
        """Share of qualified calls that booked an appointment, or None without qualified calls."""
        if not self.qualified_calls:
            return None
        return Decimal(self.booked_from_qualified_calls) / Decimal(self.qualified_calls)

    @property
    def revenue(self) -> Decimal:
        return sum((line.revenue for line in self.service_types), Decimal(0))

    @property
    def gross_profit(self) -> Decimal:
        return sum((line.gross_profit for line in self.service_types), Decimal(0))

    @property
    def cost(self) -> Decimal:
        return sum((line.amount for line in self.cost_lines), Decimal(0))

    @property
    def profit(self) -> Decimal:
        """Gross profit left after paying for the leads."""
        return self.gross_profit - self.cost

    @property
    def return_on_cost(self) -> Decimal | None:
        """(gross profit - lead cost) / lead cost, or None when the leads cost nothing."""
        if not self.cost:
            return None
        return self.profit / self.cost

    @property
    def cost_per_booked_job(self) -> Decimal | None:
        if not self.booked:
            return None
        return self.cost / Decimal(self.booked)


def call_result(lead: dict[str, Any]) -> str:
    """Return "answered", "missed" or "pending" for a call lead.

    Only a key press counts as answered: a call that Twilio reports answered but whose
    ``accepted`` flag is False was picked up by the contractor's voicemail, so it is missed.
    """
    result = lead.get("call_result")
    if result == "answered":
        return "missed" if lead.get("accepted") is False else "answered"
    if result == "missed":
        return "missed"
    return "pending"


def call_figures(leads: list[dict[str, Any]], answer: AnswerSettings) -> CallFigures:
    calls = [lead for lead in leads if lead.get("channel") == "call"]
    results = [call_result(lead) for lead in calls]
    answer_times = [
        Decimal(lead["seconds_to_answer"])
        for lead, result in zip(calls, results, strict=True)
        if result == "answered" and lead.get("seconds_to_answer") is not None
    ]
    return CallFigures(
        total=len(calls),
        answered=results.count("answered"),
        answered_within=sum(1 for seconds in answer_times if seconds <= answer.threshold_seconds),
        missed=results.count("missed"),
        voicemails=sum(1 for lead in calls if lead.get("voicemail_left") is True),
        pending=results.count("pending"),
        median_seconds_to_answer=statistics.median(answer_times) if answer_times else None,
    )


def service_type_of(lead: dict[str, Any]) -> str:
    outcome = lead.get("outcome") or {}
    return str(outcome.get("service_type") or lead.get("service_type") or UNSPECIFIED_SERVICE)


def is_closed(outcome: dict[str, Any]) -> bool:
    """True when the outcome is a won job with revenue.

    An outcome with revenue but no ``job_won`` value counts as won, because CRM exports often
    leave that column blank; an explicit ``job_won: false`` never counts.
    """
    revenue = outcome.get("revenue")
    if revenue is None or outcome.get("job_won") is False:
        return False
    return outcome.get("job_won") is True or Decimal(revenue) > 0


def service_type_lines(leads: list[dict[str, Any]], default_margins: dict[str, Any]) -> list[ServiceTypeLine]:
    """Group closed jobs by service type: revenue, and gross profit reported or from the margin."""
    grouped: dict[str, dict[str, Any]] = {}
    for lead in leads:
        outcome = lead.get("outcome") or {}
        if not is_closed(outcome):
            continue
        service_type = service_type_of(lead)
        gross_profit, basis = effective_gross_profit(
            {**outcome, "service_type": service_type}, default_margins
        )
        totals = grouped.setdefault(
            service_type,
            {"jobs": 0, "revenue": Decimal(0), "gross_profit": Decimal(0), "default": 0, "none": 0},
        )
        totals["jobs"] += 1
        totals["revenue"] += Decimal(outcome["revenue"])
        if gross_profit is None:
            totals["none"] += 1
        else:
            totals["gross_profit"] += gross_profit
            if basis == "default_margin":
                totals["default"] += 1
    return [
        ServiceTypeLine(
            service_type=name,
            jobs=totals["jobs"],
            revenue=totals["revenue"],
            gross_profit=totals["gross_profit"],
            jobs_on_default_margin=totals["default"],
            jobs_without_profit=totals["none"],
        )
        for name, totals in sorted(grouped.items(), key=lambda item: (-item[1]["revenue"], item[0]))
    ]


def period_figures(
    window: Window,
    leads: list[dict[str, Any]],
    *,
    answer: AnswerSettings,
    default_margins: dict[str, Any],
    cost_lines: list[CostLine],
) -> PeriodFigures:
    """Compute every figure of one period from the leads received in ``window``."""
    outside = [lead["lead_id"] for lead in leads if not window.contains(lead["received_at"])]
    if outside:
        raise ValueError(f"{len(outside)} lead(s) outside {window.start}..{window.end}, e.g. {outside[0]}")

    qualified = [lead for lead in leads if lead.get("billable") is True]
    not_billed = Counter(str(lead.get("billing_rule")) for lead in leads if lead.get("billable") is False)

    def booked(channel: str) -> int:
        return sum(
            1
            for lead in qualified
            if lead.get("channel") == channel
            and (lead.get("outcome") or {}).get("appointment_booked") is True
        )

    return PeriodFigures(
        window=window,
        calls=call_figures(leads, answer),
        forms=sum(1 for lead in leads if lead.get("channel") == "form"),
        qualified=len(qualified),
        qualified_calls=sum(1 for lead in qualified if lead.get("channel") == "call"),
        qualified_forms=sum(1 for lead in qualified if lead.get("channel") == "form"),
        not_billed=_ordered_reasons(not_billed),
        unclassified=sum(1 for lead in leads if lead.get("billable") is None),
        booked_from_qualified_calls=booked("call"),
        booked_from_qualified_forms=booked("form"),
        service_types=service_type_lines(leads, default_margins),
        cost_lines=cost_lines,
    )


def _ordered_reasons(counts: Counter[str]) -> dict[str, int]:
    """Order billing rules as the rules module lists them, then any unknown ones by name."""
    known = [rule for rule in NOT_BILLED_RULES if counts.get(rule)]
    unknown = sorted(rule for rule in counts if rule not in NOT_BILLED_RULES)
    return {rule: counts[rule] for rule in known + unknown}
