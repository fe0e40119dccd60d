"""The agency summary: every contractor's report status and totals, failures, and unsold demand.

Unsold demand is the leads nobody owns (``contractor_id`` UNASSIGNED), grouped by trade and
ZIP with the reasons they were not routed, over the agency's own previous day and month to
date, read with one Query on the ``ByContractor`` index.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from leadline.reporting.build import ContractorReport
from leadline.reporting.display import (
    UNASSIGNED_REASON_LABELS,
    count,
    long_date,
    month_label,
    short_date,
    usd_column,
)
from leadline.reporting.layout import Document, Highlight, Row, Table
from leadline.reporting.periods import Window, local_day, month_to_date
from leadline.storage import report_runs
from leadline.storage.leads import UNASSIGNED, leads_for_contractor

UNKNOWN_ZIP = "unknown"

STATUS_LABELS = {
    report_runs.SENT: "Sent",
    report_runs.FAILED: "Failed",
    report_runs.SENDING: "Not confirmed",
    "missing": "Not started",
    "rendered": "Rendered, not sent",
}


@dataclass(frozen=True)
class ReportTotals:
    """The day's headline figures of one contractor report, as stored on its marker."""

    calls: int
    forms: int
    qualified: int
    booked: int
    cost: Decimal
    gross_profit: Decimal

    @classmethod
    def from_report(cls, report: ContractorReport) -> "ReportTotals":
        day = report.day
        return cls(day.calls.total, day.forms, day.qualified, day.booked, day.cost, day.gross_profit)

    @classmethod
    def from_marker(cls, totals: dict[str, Any]) -> "ReportTotals":
        return cls(
            calls=int(totals["calls"]),
            forms=int(totals["forms"]),
            qualified=int(totals["qualified"]),
            booked=int(totals["booked"]),
            cost=Decimal(totals["cost"]),
            gross_profit=Decimal(totals["gross_profit"]),
        )

    def as_marker(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "forms": self.forms,
            "qualified": self.qualified,
            "booked": self.booked,
            "cost": self.cost,
            "gross_profit": self.gross_profit,
        }


@dataclass(frozen=True)
class ContractorStatus:
    """One contractor's line in the summary. ``totals`` is None when the report never got built."""

    contractor_id: str
    name: str
    report_date: date
    status: str
    totals: ReportTotals | None
    error: str | None = None


@dataclass(frozen=True)
class DemandLine:
    trade: str
    zip_code: str
    day_leads: int
    month_leads: int
    reasons: dict[str, int]


@dataclass(frozen=True)
class AgencySummary:
    agency_name: str
    run_date: date
    time_zone: str
    contractors: list[ContractorStatus]
    paused: list[str]
    demand: list[DemandLine]
    notes: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(1 for line in self.contractors if line.status == report_runs.SENT)

    @property
    def problems(self) -> list[ContractorStatus]:
        """Lines whose report did not go out, or whose send was never confirmed."""
        settled = (report_runs.SENT, "rendered")
        return [line for line in self.contractors if line.status not in settled]

    @property
    def unsold_day(self) -> int:
        return sum(line.day_leads for line in self.demand)


def unsold_demand(run_date: date, time_zone: str) -> list[DemandLine]:
    """Group the month's unassigned leads by trade and ZIP, most demanded first."""
    day = local_day(run_date, time_zone)
    month = month_to_date(run_date, time_zone)
    leads = leads_for_contractor(UNASSIGNED, month.start, month.end)
    return demand_lines(leads, day, month)


def demand_lines(leads: list[dict[str, Any]], day: Window, month: Window) -> list[DemandLine]:
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for lead in leads:
        if not month.contains(lead["received_at"]):
            continue
        key = (str(lead.get("trade") or "unknown"), str(lead.get("zip") or UNKNOWN_ZIP))
        entry = grouped.setdefault(key, {"day": 0, "month": 0, "reasons": Counter()})
        entry["month"] += 1
        entry["day"] += 1 if day.contains(lead["received_at"]) else 0
        entry["reasons"][str(lead.get("unassigned_reason") or "unknown")] += 1
    lines = [
        DemandLine(trade, zip_code, entry["day"], entry["month"], dict(entry["reasons"].most_common()))
        for (trade, zip_code), entry in grouped.items()
    ]
    return sorted(lines, key=lambda line: (-line.month_leads, -line.day_leads, line.trade, line.zip_code))


def subject_line(summary: AgencySummary) -> str:
    failed = len(summary.problems)
    return (
        f"{summary.agency_name} — nightly reports for {short_date(summary.run_date)}: "
        f"{summary.sent} sent, {failed} not sent, {count(summary.unsold_day, 'unsold lead')}"
    )


def summary_document(summary: AgencySummary) -> Document:
    with_totals = [line.totals for line in summary.contractors if line.totals is not None]
    calls = sum(totals.calls for totals in with_totals)
    forms = sum(totals.forms for totals in with_totals)
    month_unsold = sum(line.month_leads for line in summary.demand)
    return Document(
        subject=subject_line(summary),
        eyebrow=f"{summary.agency_name} · agency summary",
        title=f"Nightly reports for {long_date(summary.run_date)}",
        subtitle=(
            "Each contractor's report covers their own previous local day. Unsold demand uses the "
            f"agency's day ({summary.time_zone})."
        ),
        highlights=[
            Highlight(
                "Reports sent", f"{summary.sent:,}", f"of {len(summary.contractors):,} active contractors"
            ),
            Highlight("Not sent", f"{len(summary.problems):,}", "see below" if summary.problems else "none"),
            Highlight(
                "Leads to contractors",
                f"{calls + forms:,}",
                f"{count(calls, 'call')}, {count(forms, 'form')}",
            ),
            Highlight("Unsold leads", f"{summary.unsold_day:,}", f"{month_unsold:,} this month"),
        ],
        tables=[
            _contractor_table(summary),
            _problem_table(summary),
            _demand_table(summary),
        ],
        footnotes=_footnotes(summary),
    )


def _contractor_table(summary: AgencySummary) -> Table:
    lines = summary.contractors
    cost_cells, cost_total = usd_column([line.totals.cost if line.totals else Decimal(0) for line in lines])
    profit_cells, profit_total = usd_column(
        [line.totals.gross_profit if line.totals else Decimal(0) for line in lines]
    )
    rows = []
    for line, cost_cell, profit_cell in zip(lines, cost_cells, profit_cells, strict=True):
        detail = f"{STATUS_LABELS.get(line.status, line.status)} · {short_date(line.report_date)}"
        if line.totals is None:
            rows.append(Row(line.name, ("—", "—", "—"), detail=detail))
            continue
        totals = line.totals
        detail += f" · {count(totals.calls, 'call')}, {count(totals.forms, 'form')}"
        rows.append(Row(line.name, (f"{totals.qualified:,}", cost_cell, profit_cell), detail=detail))
    if rows:
        qualified = sum(line.totals.qualified for line in lines if line.totals)
        rows.append(Row("All contractors", (f"{qualified:,}", cost_total, profit_total), total=True))
    return Table(
        "Contractors",
        ("Contractor", "Qualified", "Lead cost", "Gross profit"),
        rows,
        empty_text="No active contractors.",
        wrap_headers=True,
    )


def _problem_table(summary: AgencySummary) -> Table:
    rows = [
        Row(
            line.name,
            (STATUS_LABELS.get(line.status, line.status),),
            detail=line.error or _problem_hint(line.status),
        )
        for line in summary.problems
    ]
    rendered_only = all(line.status == "rendered" for line in summary.contractors)
    empty_text = (
        "Rendered by leadline report; nothing was sent." if rendered_only else "Every report was sent."
    )
    return Table("Reports not sent", ("Contractor", "Status"), rows, empty_text=empty_text)


def _problem_hint(status: str) -> str:
    if status == report_runs.SENDING:
        return "The send started but was never confirmed; check the SES sending log before sending it again."
    if status == "missing":
        return "The report never started; its queue message may be in the dead-letter queue."
    return ""


def _demand_table(summary: AgencySummary) -> Table:
    rows = [
        Row(
            f"{line.trade.capitalize()} · ZIP {line.zip_code}",
            (f"{line.day_leads:,}", f"{line.month_leads:,}"),
            detail=", ".join(
                f"{UNASSIGNED_REASON_LABELS.get(reason, reason)} ({number})"
                for reason, number in line.reasons.items()
            ),
        )
        for line in summary.demand
    ]
    if rows:
        rows.append(
            Row(
                "All unsold demand",
                (f"{summary.unsold_day:,}", f"{sum(line.month_leads for line in summary.demand):,}"),
                total=True,
            )
        )
    return Table(
        "Demand in ZIPs nobody owns",
        ("Trade and ZIP", short_date(summary.run_date), month_label(summary.run_date, short=True)),
        rows,
        empty_text="No unsold leads this month.",
    )


def _footnotes(summary: AgencySummary) -> list[str]:
    notes = list(summary.notes)
    if summary.paused:
        notes.append(f"Not reported because they are paused: {', '.join(summary.paused)}.")
    notes.append(
        "Reasons count the month's unsold leads: nobody owns the ZIP, the owner is paused, or the "
        "number called is not configured."
    )
    notes.append(
        "Leads, lead cost and gross profit are each contractor's report day; amounts are rounded to cents."
    )
    return notes


def summarise_reports(
    agency: dict[str, Any], run_date: date, reports: list[ContractorReport], paused: list[str]
) -> AgencySummary:
    """Build the summary of reports rendered locally (``leadline report``), which sends nothing."""
    return AgencySummary(
        agency_name=str(agency["name"]),
        run_date=run_date,
        time_zone=str(agency["time_zone"]),
        contractors=[
            ContractorStatus(
                report.contractor_id,
                report.name,
                report.report_date,
                "rendered",
                ReportTotals.from_report(report),
            )
            for report in reports
        ],
        paused=paused,
        demand=unsold_demand(run_date, str(agency["time_zone"])),
    )


def summarise_markers(
    agency: dict[str, Any],
    run: dict[str, Any],
    markers: dict[tuple[str, str], dict[str, Any]],
    names: dict[str, str],
) -> AgencySummary:
    """Build the summary of a queued run from its run item and the contractors' markers."""
    run_date = date.fromisoformat(run["report_date"])
    lines = []
    for contractor_id, report_date in sorted(
        run["expected"].items(), key=lambda item: names.get(item[0], item[0])
    ):
        marker = markers.get((contractor_id, report_date))
        totals = marker.get("totals") if marker else None
        lines.append(
            ContractorStatus(
                contractor_id=contractor_id,
                name=names.get(contractor_id, contractor_id),
                report_date=date.fromisoformat(report_date),
                status=marker["status"] if marker else "missing",
                totals=ReportTotals.from_marker(totals) if totals else None,
                error=marker.get("error") if marker and marker["status"] == report_runs.FAILED else None,
            )
        )
    return AgencySummary(
        agency_name=str(agency["name"]),
        run_date=run_date,
        time_zone=str(agency["time_zone"]),
        contractors=lines,
        paused=[names.get(contractor_id, contractor_id) for contractor_id in run.get("paused", [])],
        demand=unsold_demand(run_date, str(agency["time_zone"])),
    )
