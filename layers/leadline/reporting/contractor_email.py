"""The contractor's nightly email as a ``Document``: the report day beside the month to date."""

from leadline.economics.money import cents
from leadline.reporting.build import ContractorReport
from leadline.reporting.costs import CostLine
from leadline.reporting.display import (
    PRICING_LABELS,
    count,
    long_date,
    month_label,
    not_billed_label,
    percent,
    seconds,
    service_label,
    short_date,
    usd,
    usd_column,
)
from leadline.reporting.figures import PeriodFigures, ServiceTypeLine
from leadline.reporting.layout import Document, Highlight, Row, Table

DEFAULT_MARGIN_MARK = "*"
MISSING_PROFIT_MARK = "†"


def subject_line(report: ContractorReport) -> str:
    """Return e.g. "Lone Star Roofing & Gutters — leads for Thu Dec 3: 7 calls, $311.40 cost, ..."."""
    day = report.day
    parts = [count(day.calls.total, "call")]
    if day.forms:
        parts.append(count(day.forms, "form"))
    parts += [f"{usd(day.cost)} cost", f"{usd(day.gross_profit)} gross profit"]
    return f"{report.name} — leads for {short_date(report.report_date)}: {', '.join(parts)}"


def contractor_document(report: ContractorReport) -> Document:
    day, month = report.day, report.month
    columns = ("", short_date(report.report_date), month_label(report.report_date, short=True))
    return Document(
        subject=subject_line(report),
        eyebrow=f"{report.agency_name} · nightly report",
        title=report.name,
        subtitle=(
            f"Leads for {long_date(report.report_date)}, and {month_label(report.report_date)} "
            f"month to date ({report.time_zone} time)"
        ),
        highlights=[
            Highlight("Calls", f"{day.calls.total:,}", f"{month.calls.total:,} this month"),
            Highlight("Qualified leads", f"{day.qualified:,}", f"{month.qualified:,} this month"),
            Highlight("Lead cost", usd(day.cost), f"{usd(month.cost)} this month"),
            Highlight("Gross profit", usd(day.gross_profit), f"{usd(month.gross_profit)} this month"),
        ],
        tables=[
            _calls_table(report, columns),
            _billing_table(day, month, columns),
            _appointments_table(day, month, columns),
            _service_type_table(
                f"Jobs closed from {short_date(report.report_date)} leads", day.service_types
            ),
            _service_type_table(
                f"Jobs closed from {month_label(report.report_date)} leads", month.service_types
            ),
            _cost_table(day, month, columns),
        ],
        footnotes=_footnotes(report),
    )


def _calls_table(report: ContractorReport, columns: tuple[str, ...]) -> Table:
    day, month = report.day.calls, report.month.calls
    answer = report.answer
    rows = [
        Row("Calls", (f"{day.total:,}", f"{month.total:,}"), total=True),
        Row("Answered (you pressed 1)", (f"{day.answered:,}", f"{month.answered:,}")),
        # A no-break space keeps "18 s" on one line on a phone.
        Row(
            f"Answered within {answer.answered_within_rings} rings ({answer.threshold_seconds}\u00a0s)",
            (f"{day.answered_within:,}", f"{month.answered_within:,}"),
            indent=True,
        ),
        Row(
            "Median time to answer",
            (seconds(day.median_seconds_to_answer), seconds(month.median_seconds_to_answer)),
            indent=True,
        ),
        Row("Missed", (f"{day.missed:,}", f"{month.missed:,}")),
        Row("Voicemails left by callers", (f"{day.voicemails:,}", f"{month.voicemails:,}"), indent=True),
    ]
    if day.pending or month.pending:
        rows.append(Row("Still in progress or no result", (f"{day.pending:,}", f"{month.pending:,}")))
    return Table("Calls", columns, rows)


def _billing_table(day: PeriodFigures, month: PeriodFigures, columns: tuple[str, ...]) -> Table:
    rows = [
        Row("Form leads", (f"{day.forms:,}", f"{month.forms:,}")),
        Row("All leads (calls and forms)", (f"{day.leads:,}", f"{month.leads:,}"), total=True),
        Row("Qualified (billable)", (f"{day.qualified:,}", f"{month.qualified:,}"), total=True),
    ]
    day_not_billed, month_not_billed = sum(day.not_billed.values()), sum(month.not_billed.values())
    rows.append(Row("Not billed", (f"{day_not_billed:,}", f"{month_not_billed:,}"), total=True))
    # The month's reasons include the day's, because the month to date ends with the day.
    for rule in month.not_billed:
        rows.append(
            Row(
                not_billed_label(rule),
                (f"{day.not_billed.get(rule, 0):,}", f"{month.not_billed.get(rule, 0):,}"),
                indent=True,
            )
        )
    if day.unclassified or month.unclassified:
        rows.append(
            Row(
                "Not decided yet (call still open)",
                (f"{day.unclassified:,}", f"{month.unclassified:,}"),
                total=True,
            )
        )
    return Table("Leads and billing", columns, rows)


def _appointments_table(day: PeriodFigures, month: PeriodFigures, columns: tuple[str, ...]) -> Table:
    rows = [
        Row("Qualified calls", (f"{day.qualified_calls:,}", f"{month.qualified_calls:,}")),
        Row(
            "Appointments booked from them",
            (f"{day.booked_from_qualified_calls:,}", f"{month.booked_from_qualified_calls:,}"),
        ),
        Row("Booking rate", (percent(day.booking_rate), percent(month.booking_rate)), total=True),
        Row(
            "Appointments booked from qualified forms",
            (f"{day.booked_from_qualified_forms:,}", f"{month.booked_from_qualified_forms:,}"),
        ),
    ]
    return Table("Appointments", columns, rows)


def _service_type_table(title: str, lines: list[ServiceTypeLine]) -> Table:
    revenue_cells, revenue_total = usd_column([line.revenue for line in lines])
    profit_cells, profit_total = usd_column([line.gross_profit for line in lines])
    rows = [
        Row(
            service_label(line.service_type),
            (f"{line.jobs:,}", revenue, profit + _profit_marks(line)),
        )
        for line, revenue, profit in zip(lines, revenue_cells, profit_cells, strict=True)
    ]
    if rows:
        jobs = sum(line.jobs for line in lines)
        rows.append(Row("Total", (f"{jobs:,}", revenue_total, profit_total), total=True))
    return Table(
        title,
        ("Service type", "Jobs", "Revenue", "Gross profit"),
        rows,
        empty_text="No closed jobs reported yet.",
    )


def _profit_marks(line: ServiceTypeLine) -> str:
    marks = DEFAULT_MARGIN_MARK if line.jobs_on_default_margin else ""
    return marks + (MISSING_PROFIT_MARK if line.jobs_without_profit else "")


def _cost_table(day: PeriodFigures, month: PeriodFigures, columns: tuple[str, ...]) -> Table:
    day_cells, day_total = usd_column([line.amount for line in day.cost_lines])
    month_cells, month_total = usd_column([line.amount for line in month.cost_lines])
    rows = []
    if len(day.cost_lines) > 1:
        for line, day_cell, month_cell in zip(day.cost_lines, day_cells, month_cells, strict=True):
            rows.append(
                Row(line.contract_id, (day_cell, month_cell), detail=_contract_detail(line), indent=True)
            )
        rows.append(Row("Lead cost", (day_total, month_total), total=True))
    else:
        detail = _contract_detail(month.cost_lines[0]) if month.cost_lines else None
        rows.append(Row("Lead cost", (day_total, month_total), detail=detail, total=True))

    rows += [
        Row("Gross profit from closed jobs", (usd(day.gross_profit), usd(month.gross_profit))),
        Row("Profit after lead cost", (_shown_profit(day), _shown_profit(month)), total=True),
        Row("Return on lead cost", (percent(day.return_on_cost), percent(month.return_on_cost))),
        Row("Cost per booked job", (usd(day.cost_per_booked_job), usd(month.cost_per_booked_job))),
    ]
    return Table("Lead cost against gross profit", columns, rows)


def _contract_detail(line: CostLine) -> str:
    detail = f"{line.trade}, {PRICING_LABELS.get(line.model, line.model)}"
    if line.monthly_cap is not None:
        detail += f", monthly cap {usd(line.monthly_cap)}"
        if line.cap_reached:
            detail += " reached"
    return detail


def _shown_profit(figures: PeriodFigures) -> str:
    """Subtract the rounded amounts shown above, so the three lines agree to the cent."""
    return usd(cents(figures.gross_profit) - cents(figures.cost))


def _footnotes(report: ContractorReport) -> list[str]:
    notes = []
    hours = report.day.window.hours
    if hours != 24:
        notes.append(
            f"{long_date(report.report_date)} had {hours:g} hours in {report.time_zone} because the "
            "clocks changed; the day runs from local midnight to local midnight."
        )
    notes += [
        "A call counts as answered only when you pressed 1 on the whisper; a call picked up by your "
        "voicemail counts as missed.",
        "Revenue and gross profit are counted on the day the lead came in, so they grow as you report "
        "outcomes for earlier leads.",
        f"Gross profit marked {DEFAULT_MARGIN_MARK} uses your default margin for that service type; "
        f"marked {MISSING_PROFIT_MARK}, it leaves out jobs with no gross profit reported and no default "
        "margin.",
        "Return on lead cost is (gross profit − lead cost) ÷ lead cost. Amounts are rounded to cents, and "
        "the lines of each table add up to its totals.",
    ]
    if any(line.model == "flat_monthly" for line in report.month.cost_lines):
        notes.append("A flat monthly fee costs the fee divided by the days in the month, for each day.")
    return notes
