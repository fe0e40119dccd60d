"""CSV import of outcomes, for agencies whose contractors keep jobs in a CRM.

The file has a header row and one row per lead, UTF-8 (a byte-order mark from Excel is fine):

- ``lead_id`` (required): the lead's id, as in the lead's SMS, email or leads export.
- ``appointment_booked`` (required): yes/no, true/false or 1/0.
- ``appointment_at``: ISO 8601 with a UTC offset, e.g. ``2026-12-07T14:00:00-06:00``; empty if none.
- ``job_won``: yes/no, true/false or 1/0; empty while undecided.
- ``revenue``: dollars, e.g. ``12400.00`` or ``$12,400.00``; only when the job was won.
- ``gross_profit``: dollars, may be negative; empty to use the contractor's default margin.
- ``service_type``: e.g. ``roof_replacement`` (spaces and dashes become underscores).

Every row is validated, and every lead looked up, before anything is written: one bad row means
nothing is written. A row equal to the lead's current outcome is skipped, so importing the same
file twice records nothing the second time.
"""

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadline.economics.outcomes import OutcomeValidationError, validate_outcome
from leadline.storage import leads
from leadline.storage.outcomes import is_same_outcome, save_outcome

COLUMNS = (
    "lead_id", "appointment_booked", "appointment_at", "job_won", "revenue", "gross_profit", "service_type",
)
REQUIRED_COLUMNS = ("lead_id", "appointment_booked")
BOOLEAN_COLUMNS = ("appointment_booked", "job_won")
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class ImportRow:
    line: int
    lead_id: str
    contractor_id: str
    outcome: dict[str, Any]
    unchanged: bool


@dataclass(frozen=True)
class ImportPlan:
    """A validated file: rows ready to write, or problems (then nothing may be written)."""

    source: str
    rows: list[ImportRow]
    problems: list[str]

    @property
    def to_record(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.unchanged]


@dataclass(frozen=True)
class ImportResult:
    recorded: int
    unchanged: int


def plan_import(path: Path) -> ImportPlan:
    """Read and validate a CSV file and look up every lead. Writes nothing."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return ImportPlan(source, [], [f"{source}: cannot read the file as UTF-8 text: {error}"])

    reader = csv.DictReader(text.splitlines(keepends=True))
    header_problems = _header_problems(source, reader.fieldnames)
    if header_problems:
        return ImportPlan(source, [], header_problems)

    rows: list[ImportRow] = []
    problems: list[str] = []
    first_line_of_lead: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        row_problems, row = _check_row(source, line, record, first_line_of_lead)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(f"{source}: no rows after the header; add one row per lead")
    return ImportPlan(source, rows, problems)


def apply_import(plan: ImportPlan) -> ImportResult:
    """Write a validated plan's changed rows as ``csv`` outcomes."""
    if plan.problems:
        raise ValueError(f"{plan.source} has {len(plan.problems)} problem(s); fix them before importing")
    recorded = 0
    for row in plan.to_record:
        _, created = save_outcome(row.lead_id, row.contractor_id, row.outcome, source="csv")
        recorded += int(created)
    return ImportResult(recorded=recorded, unchanged=len(plan.rows) - recorded)


def _header_problems(source: str, fieldnames: Sequence[str] | None) -> list[str]:
    if not fieldnames:
        return [f"{source}:1: the file is empty; the first row must name the columns: {', '.join(COLUMNS)}"]
    names = [name.strip() for name in fieldnames]
    problems = []
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        problems.append(
            f"{source}:1: unknown column(s) {', '.join(repr(name) for name in unknown)}; "
            f"use only: {', '.join(COLUMNS)}"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        problems.append(f"{source}:1: missing column(s) {', '.join(missing)}; add them to the header row")
    return problems


def _check_row(
    source: str, line: int, record: dict[str | None, Any], first_line_of_lead: dict[str, int]
) -> tuple[list[str], ImportRow | None]:
    def problem(column: str, message: str) -> str:
        return f"{source}:{line}: {column}: {message}"

    if None in record:
        return [problem("row", f"{len(record[None])} value(s) more than the header has columns")], None
    values = {str(key).strip(): (value or "").strip() for key, value in record.items()}

    lead_id = values.get("lead_id", "")
    if not lead_id:
        return [problem("lead_id", "missing; copy the id from the lead's SMS or email")], None
    if lead_id in first_line_of_lead:
        message = f"lead {lead_id!r} is also on line {first_line_of_lead[lead_id]}; keep one row per lead"
        return [problem("lead_id", message)], None
    first_line_of_lead[lead_id] = line

    problems: list[str] = []
    data: dict[str, Any] = {}
    for column in COLUMNS[1:]:
        raw = values.get(column, "")
        if column in BOOLEAN_COLUMNS:
            try:
                flag = _parse_flag(raw)
            except ValueError as error:
                problems.append(problem(column, str(error)))
                continue
            if flag is not None:
                data[column] = flag
        elif raw:
            data[column] = raw
    if problems:
        return problems, None

    try:
        outcome = validate_outcome(data).as_record()
    except OutcomeValidationError as error:
        return [problem(p.field, p.message) for p in error.problems], None

    lead = leads.get_lead(lead_id)
    if lead is None:
        message = f"lead {lead_id!r} not found; copy the id from the lead's SMS or email"
        return [problem("lead_id", message)], None
    contractor_id = str(lead.get("contractor_id", leads.UNASSIGNED))
    if contractor_id == leads.UNASSIGNED:
        message = f"lead {lead_id!r} is unassigned, so no contractor reports outcomes for it; remove the row"
        return [problem("lead_id", message)], None
    unchanged = is_same_outcome(lead.get("outcome"), outcome)
    return [], ImportRow(line, lead_id, contractor_id, outcome, unchanged)


def _parse_flag(raw: str) -> bool | None:
    text = raw.lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not yes or no; write yes, no, true, false, 1 or 0")
