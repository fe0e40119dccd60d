"""Nightly report markers: one item per contractor and report date, and one per agency run.

A contractor's item (``contractor_id``, ``report_date``) moves from ``sending`` to ``sent`` or
``failed``. Only a missing item or a ``failed`` one can be claimed, with a conditional write,
so two workers never both send a report, and a report that is ``sent`` is never sent again.
An item left in ``sending`` means a send started and was never confirmed: the email may or may
not have gone out, so it is reported to the operator and never sent again automatically.

The agency run item uses the reserved key ``AGENCY`` (contractor ids are lowercase slugs) and
the run date. It lists the contractors the run expects, and doubles as the agency summary's
marker: ``waiting`` until the summary is claimed, then ``sending`` and ``sent``.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from leadline.clock import utc_now_iso
from leadline.storage import dynamo

AGENCY_KEY = "AGENCY"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
WAITING = "waiting"
BATCH_GET_LIMIT = 100

_CLAIMABLE = "attribute_not_exists(contractor_id) OR #status IN (:failed, :waiting)"
_CLAIMABLE_VALUES = {":failed": FAILED, ":waiting": WAITING}


def _key(owner_id: str, report_date: str) -> dict[str, Any]:
    return {"contractor_id": {"S": owner_id}, "report_date": {"S": report_date}}


def get_marker(owner_id: str, report_date: str) -> dict[str, Any] | None:
    response = dynamo.client().get_item(
        TableName=dynamo.tables().report_runs, Key=_key(owner_id, report_date), ConsistentRead=True
    )
    item = response.get("Item")
    return dynamo.from_item(item) if item else None


def get_markers(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Return the markers that exist among ``(owner_id, report_date)`` keys, 100 per request."""
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    table = dynamo.tables().report_runs
    for start in range(0, len(wanted), BATCH_GET_LIMIT):
        request: dict[str, Any] = {
            table: {
                "Keys": [_key(*key) for key in wanted[start : start + BATCH_GET_LIMIT]],
                "ConsistentRead": True,
            }
        }
        while request:
            response = dynamo.client().batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(table, []):
                marker = dynamo.from_item(item)
                found[(marker["contractor_id"], marker["report_date"])] = marker
            request = response.get("UnprocessedKeys") or {}
    return found


def claim(
    owner_id: str, report_date: str, *, run_date: str, fields: dict[str, Any] | None = None
) -> str | None:
    """Claim the right to send one report. Returns a claim id, or None if it is sent or being sent."""
    claim_id = uuid.uuid4().hex
    values = {
        "status": SENDING,
        "claim_id": claim_id,
        "claimed_at": utc_now_iso(),
        "run_date": run_date,
        **(fields or {}),
    }
    try:
        _update(
            owner_id,
            report_date,
            values,
            condition=_CLAIMABLE,
            condition_values=_CLAIMABLE_VALUES,
            add_attempt=True,
        )
    except ClientError as error:
        if dynamo.is_conditional_check_failure(error):
            return None
        raise
    return claim_id


def mark_sent(owner_id: str, report_date: str, claim_id: str, message_id: str) -> None:
    """Record a confirmed send. Raises if the claim is no longer ours, which no code path does."""
    _update(
        owner_id,
        report_date,
        {"status": SENT, "sent_at": utc_now_iso(), "message_id": message_id},
        condition="claim_id = :claim",
        condition_values={":claim": claim_id},
    )


def mark_failed(
    owner_id: str,
    report_date: str,
    *,
    run_date: str,
    error: str,
    claim_id: str | None = None,
    fields: dict[str, Any] | None = None,
) -> bool:
    """Record a report that was not sent, so a retry may claim it. Returns False if it was not ours.

    With ``claim_id`` the send under that claim failed; without it the report failed before it
    was claimed, and the write only happens while no other worker holds or completed a claim.
    """
    values = {
        "status": FAILED,
        "failed_at": utc_now_iso(),
        "error": error[:500],
        "run_date": run_date,
        **(fields or {}),
    }
    try:
        if claim_id is None:
            _update(
                owner_id,
                report_date,
                values,
                condition=_CLAIMABLE,
                condition_values=_CLAIMABLE_VALUES,
                add_attempt=True,
            )
        else:
            _update(
                owner_id,
                report_date,
                values,
                condition="claim_id = :claim",
                condition_values={":claim": claim_id},
            )
    except ClientError as error_response:
        if dynamo.is_conditional_check_failure(error_response):
            return False
        raise
    return True


def start_run(run_date: str, expected: dict[str, str], paused: list[str]) -> bool:
    """Write the agency run item unless its summary was already claimed. Returns True if written.

    ``expected`` maps each contractor id to its report date. A re-run of the same date before
    the summary goes out replaces the list; after that the run item stays as it was.
    """
    item = {
        "contractor_id": AGENCY_KEY,
        "report_date": run_date,
        "run_date": run_date,
        "status": WAITING,
        "expected": expected,
        "paused": paused,
        "started_at": utc_now_iso(),
    }
    try:
        dynamo.client().put_item(
            TableName=dynamo.tables().report_runs,
            Item=dynamo.to_item(item),
            ConditionExpression="attribute_not_exists(contractor_id) OR #status = :waiting",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":waiting": {"S": WAITING}},
        )
    except ClientError as error:
        if dynamo.is_conditional_check_failure(error):
            return False
        raise
    return True


def _update(
    owner_id: str,
    report_date: str,
    values: dict[str, Any],
    *,
    condition: str,
    condition_values: dict[str, Any],
    add_attempt: bool = False,
) -> None:
    """SET each field of ``values`` under ``condition``; ``#status`` in a condition is ``status``."""
    names = {"#status": "status"} if "#status" in condition else {}
    attribute_values = dict(condition_values)
    assignments = []
    for index, (name, value) in enumerate(values.items()):
        names[f"#f{index}"] = name
        attribute_values[f":v{index}"] = value
        assignments.append(f"#f{index} = :v{index}")
    expression = "SET " + ", ".join(assignments)
    if add_attempt:
        expression += " ADD attempts :one"
        attribute_values[":one"] = 1
    dynamo.client().update_item(
        TableName=dynamo.tables().report_runs,
        Key=_key(owner_id, report_date),
        UpdateExpression=expression,
        ConditionExpression=condition,
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=dynamo.to_item(attribute_values),
    )
