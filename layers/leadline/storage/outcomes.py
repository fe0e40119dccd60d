"""Outcomes: a history item per reported change (OutcomesTable) and the lead's latest snapshot.

Each change is one DynamoDB transaction: a new history item keyed by ``(lead_id, recorded_at)``
that is never overwritten, and the lead item's ``outcome`` attribute set to the same values.
The transaction only succeeds while the lead belongs to the reporting contractor and its
snapshot is still the one that was read, so concurrent reports cannot interleave and the
snapshot is always the newest history item. An outcome equal to the current snapshot is not
written again, so retries and re-imports do not grow the history.
"""

from datetime import timedelta
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from leadline import clock
from leadline.errors import LeadlineError, LeadNotFoundError
from leadline.storage import dynamo, leads

OUTCOME_FIELDS = (
    "appointment_booked", "appointment_at", "job_won", "revenue", "gross_profit", "service_type",
)
SOURCES = ("api", "csv")
MAX_ATTEMPTS = 3

_serializer = TypeSerializer()


class OutcomeConflictError(LeadlineError):
    """The lead's outcome kept changing while this one was being written."""

    def __init__(self, lead_id: str) -> None:
        self.lead_id = lead_id
        super().__init__(
            f"outcome of lead {lead_id!r} changed {MAX_ATTEMPTS} times while saving; send it again"
        )


def is_same_outcome(current: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Return True when ``current`` has the same reported values as ``new`` (Decimal-equal)."""
    if current is None:
        return False
    return all(current.get(field) == new.get(field) for field in OUTCOME_FIELDS)


def save_outcome(
    lead_id: str, contractor_id: str, outcome: dict[str, Any], source: str
) -> tuple[dict[str, Any], bool]:
    """Record an outcome. Returns the lead's snapshot and whether a new history item was written.

    Raises LeadNotFoundError when the lead does not exist or belongs to another contractor, and
    OutcomeConflictError when concurrent writers changed the snapshot on every attempt.
    """
    if source not in SOURCES:
        raise ValueError(f"outcome source {source!r} is invalid; use one of: {', '.join(SOURCES)}")
    for _ in range(MAX_ATTEMPTS):
        lead = leads.get_lead(lead_id, consistent=True)
        if lead is None or lead.get("contractor_id") != contractor_id:
            raise LeadNotFoundError(lead_id)
        current = lead.get("outcome")
        if is_same_outcome(current, outcome):
            return dict(current or {}), False

        snapshot = {field: outcome.get(field) for field in OUTCOME_FIELDS}
        snapshot["recorded_at"] = _next_recorded_at(current)
        snapshot["source"] = source
        try:
            _write(lead_id, contractor_id, snapshot, current)
        except ClientError as error:
            if not dynamo.is_conditional_check_failure(error):
                raise
            continue
        return snapshot, True
    raise OutcomeConflictError(lead_id)


def record_outcome(
    lead_id: str, contractor_id: str, outcome: dict[str, Any], source: str
) -> dict[str, Any]:
    """Record an outcome and return the lead's snapshot (see ``save_outcome``)."""
    snapshot, _ = save_outcome(lead_id, contractor_id, outcome, source)
    return snapshot


def outcome_history(lead_id: str) -> list[dict[str, Any]]:
    """Return every recorded outcome of a lead, oldest first, each with all ``OUTCOME_FIELDS``."""
    paginator = dynamo.client().get_paginator("query")
    pages = paginator.paginate(
        TableName=dynamo.tables().outcomes,
        KeyConditionExpression="lead_id = :lead_id",
        ExpressionAttributeValues={":lead_id": {"S": lead_id}},
        ScanIndexForward=True,
    )
    history = []
    for page in pages:
        for item in page["Items"]:
            record = dynamo.from_item(item)
            history.append({**dict.fromkeys(OUTCOME_FIELDS), **record})
    return history


def _next_recorded_at(current: dict[str, Any] | None) -> str:
    """Return now as ISO 8601, at least 1 ms after the current snapshot, so history sorts in order.

    Clocks of two Lambda hosts can disagree, and two writes can fall in one millisecond.
    """
    now = clock.utc_now()
    if current and current.get("recorded_at"):
        previous = clock.from_iso(str(current["recorded_at"]))
        now = max(now, previous + timedelta(milliseconds=1))
    return clock.to_iso(now)


def _write(
    lead_id: str, contractor_id: str, snapshot: dict[str, Any], current: dict[str, Any] | None
) -> None:
    history_item = {"lead_id": lead_id, "contractor_id": contractor_id, **snapshot}
    values: dict[str, Any] = {
        ":snapshot": _serializer.serialize(snapshot),
        ":contractor_id": {"S": contractor_id},
    }
    if current is None:
        snapshot_condition = "attribute_not_exists(#outcome)"
    else:
        snapshot_condition = "#outcome.recorded_at = :previous"
        values[":previous"] = {"S": str(current["recorded_at"])}

    dynamo.client().transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": dynamo.tables().outcomes,
                    "Item": dynamo.to_item(history_item),
                    "ConditionExpression": "attribute_not_exists(lead_id)",
                }
            },
            {
                "Update": {
                    "TableName": dynamo.tables().leads,
                    "Key": {"lead_id": {"S": lead_id}},
                    "UpdateExpression": "SET #outcome = :snapshot",
                    "ConditionExpression": f"contractor_id = :contractor_id AND {snapshot_condition}",
                    "ExpressionAttributeNames": {"#outcome": "outcome"},
                    "ExpressionAttributeValues": values,
                }
            },
        ]
    )

