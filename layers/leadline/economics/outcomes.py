"""Outcome input: one model for the API and the CSV import, with errors that name the field.

An outcome records whether an appointment was booked (and when), whether the job was won,
its revenue and gross profit, and the service type. Money is parsed exactly (``money.parse_amount``);
``appointment_at`` needs a UTC offset and is stored as ISO 8601 UTC.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, StrictBool, ValidationError

from leadline import api_keys, clock
from leadline.economics.money import CENT, parse_amount
from leadline.errors import LeadlineError
from leadline.storage.outcomes import save_outcome

_SERVICE_TYPE = re.compile(r"^[a-z0-9][a-z0-9_]{0,59}$")
_SERVICE_TYPE_SEPARATORS = re.compile(r"[\s-]+")
_EXAMPLE_TIME = '"2026-12-07T14:00:00-06:00"'


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class OutcomeValidationError(LeadlineError):
    """An outcome is invalid. ``problems`` has one entry per bad field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _revenue(value: object) -> Decimal | None:
    return None if value is None else parse_amount(value)


def _gross_profit(value: object) -> Decimal | None:
    # A job can lose money, so a reported gross profit may be negative.
    return None if value is None else parse_amount(value, allow_negative=True)


def _service_type(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"service type {value!r} must be a string such as \"roof_replacement\"")
    slug = _SERVICE_TYPE_SEPARATORS.sub("_", value.strip().lower())
    if not slug:
        return None
    if not _SERVICE_TYPE.match(slug):
        raise ValueError(
            f"service type {value!r} is invalid; use up to 60 lowercase letters, digits and underscores, "
            "e.g. \"roof_replacement\""
        )
    return slug


def _timestamp_text(value: object) -> object:
    """Reject numbers, which pydantic would otherwise read as Unix timestamps."""
    if value is not None and not isinstance(value, str | datetime):
        raise ValueError(f"{value!r} is not a date and time; write ISO 8601, e.g. {_EXAMPLE_TIME}")
    if isinstance(value, str) and not value.strip():
        return None
    return value


class OutcomeInput(BaseModel):
    """The fields a contractor reports for one lead. Unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    appointment_booked: StrictBool
    appointment_at: Annotated[AwareDatetime | None, BeforeValidator(_timestamp_text)] = None
    job_won: StrictBool | None = None
    revenue: Annotated[Decimal | None, BeforeValidator(_revenue)] = None
    gross_profit: Annotated[Decimal | None, BeforeValidator(_gross_profit)] = None
    service_type: Annotated[str | None, BeforeValidator(_service_type)] = None

    def as_record(self) -> dict[str, Any]:
        """Return the outcome as stored: ``appointment_at`` as ISO 8601 UTC, amounts as Decimal."""
        return {
            "appointment_booked": self.appointment_booked,
            "appointment_at": clock.to_iso(self.appointment_at) if self.appointment_at else None,
            "job_won": self.job_won,
            "revenue": self.revenue,
            "gross_profit": self.gross_profit,
            "service_type": self.service_type,
        }


def report_outcome(api_key: str | None, lead_id: str, body: str) -> tuple[dict[str, Any], bool]:
    """Authenticate a contractor's key, then parse, validate and record its outcome for a lead.

    Returns the lead's outcome snapshot and whether a new history item was written. The key is
    checked before the body, so a caller without a valid key learns nothing about the body.
    Raises AuthenticationError, OutcomeValidationError or LeadNotFoundError (also for another
    contractor's lead).
    """
    contractor_id = api_keys.authenticate(api_key)
    outcome = validate_outcome(parse_json_body(body))
    return save_outcome(lead_id, contractor_id, outcome.as_record(), source="api")


def parse_json_body(body: str) -> Any:
    """Parse JSON with every number exact: decimals become Decimal, NaN and Infinity are rejected."""
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
    except ValueError as error:
        problem = FieldProblem("body", f"not valid JSON ({error}); send a JSON object")
        raise OutcomeValidationError([problem]) from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def outcome_as_json(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Return a stored outcome for a JSON response: amounts as strings with two decimals."""
    rendered = dict(snapshot)
    for field in ("revenue", "gross_profit"):
        amount = rendered.get(field)
        if amount is not None:
            rendered[field] = str(Decimal(amount).quantize(CENT))
    return rendered


def validate_outcome(data: Any) -> OutcomeInput:
    """Validate a reported outcome. Raises OutcomeValidationError listing every bad field."""
    if not isinstance(data, dict):
        raise OutcomeValidationError([FieldProblem("body", "expected a JSON object with appointment_booked")])
    try:
        outcome = OutcomeInput.model_validate(data)
    except ValidationError as error:
        raise OutcomeValidationError([_problem(dict(detail)) for detail in error.errors()]) from None

    problems = _consistency_problems(outcome)
    if problems:
        raise OutcomeValidationError(problems)
    return outcome


def _consistency_problems(outcome: OutcomeInput) -> list[FieldProblem]:
    problems = []
    if outcome.appointment_at is not None and not outcome.appointment_booked:
        problems.append(FieldProblem("appointment_at", "set only when appointment_booked is true"))
    if outcome.job_won is not True:
        for field in ("revenue", "gross_profit"):
            if getattr(outcome, field) is not None:
                message = "set only when job_won is true; leave it empty otherwise"
                problems.append(FieldProblem(field, message))
    revenue, gross_profit = outcome.revenue, outcome.gross_profit
    if revenue is not None and gross_profit is not None and gross_profit > revenue:
        message = f"{gross_profit} is more than the revenue {revenue}; check both"
        problems.append(FieldProblem("gross_profit", message))
    return problems


def _problem(detail: dict[str, Any]) -> FieldProblem:
    field = ".".join(str(part) for part in detail["loc"]) or "body"
    kind = detail["type"]
    if kind == "extra_forbidden":
        return FieldProblem(field, "unknown field; use appointment_booked, appointment_at, job_won, "
                                   "revenue, gross_profit or service_type")
    if kind == "missing":
        return FieldProblem(field, "required field is missing")
    if kind == "bool_type":
        return FieldProblem(field, f"{detail.get('input')!r} is not true or false")
    if kind == "timezone_aware":
        return FieldProblem(field, f"needs a UTC offset, e.g. {_EXAMPLE_TIME} or a trailing Z")
    if kind.startswith("datetime"):
        message = f"{detail.get('input')!r} is not an ISO 8601 date and time, e.g. {_EXAMPLE_TIME}"
        return FieldProblem(field, message)
    return FieldProblem(field, str(detail["msg"]).removeprefix("Value error, "))
