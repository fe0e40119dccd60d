"""Call leads in LeadsTable: conditional writes keyed by CallSid.

Twilio retries webhooks and sends status callbacks late, twice or out of order, so every write
here carries a condition that makes it safe to repeat, and no write moves a lead backwards.
When a condition fails, DynamoDB returns the stored lead (ReturnValuesOnConditionCheckFailure),
so the caller can return the same TwiML to a retry as to the first request, without a read.
"""

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from leadline.storage import dynamo

PENDING = "pending"
# Attributes a routed lead may lack while the placeholder has them; replacing it removes them.
PLACEHOLDER_ATTRIBUTES = ("zip", "zip_source", "contract_id", "unassigned_reason")


@dataclass(frozen=True)
class WriteOutcome:
    """Result of a conditional write.

    ``written`` is False when the condition failed. ``lead`` is then the stored lead, or None
    when there is no lead with that id. After a write it is the new lead when the write asked
    for it, else None.
    """

    written: bool
    lead: dict[str, Any] | None


def _failed_condition(error: ClientError) -> WriteOutcome:
    if not dynamo.is_conditional_check_failure(error):
        raise error
    # DynamoDB returns the stored item with the error because of ReturnValuesOnConditionCheckFailure.
    item: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
    return WriteOutcome(False, dynamo.from_item(item) if item else None)


def create_call_lead(lead: dict[str, Any]) -> WriteOutcome:
    """Store a new lead unless its CallSid is already stored (a retried webhook)."""
    try:
        dynamo.client().put_item(
            TableName=dynamo.tables().leads,
            Item=dynamo.to_item(lead),
            ConditionExpression="attribute_not_exists(lead_id)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        return _failed_condition(error)
    return WriteOutcome(True, None)


def update_call_lead(
    lead_id: str,
    fields: dict[str, Any],
    *,
    condition: str,
    values: dict[str, Any] | None = None,
    set_if_absent: dict[str, Any] | None = None,
    return_new: bool = False,
) -> WriteOutcome:
    """Set ``fields`` (None removes the attribute) and ``set_if_absent`` under ``condition``.

    ``condition`` refers to attributes by name and to ``values`` as ``:name``.
    """
    names: dict[str, str] = {}
    expression_values = {
        f":{key}": dynamo.to_item({"v": value})["v"] for key, value in (values or {}).items()
    }
    assignments, removals = [], []
    for index, (name, value) in enumerate(fields.items()):
        names[f"#f{index}"] = name
        if value is None:
            removals.append(f"#f{index}")
        else:
            assignments.append(f"#f{index} = :f{index}")
            expression_values[f":f{index}"] = dynamo.to_item({"v": value})["v"]
    for index, (name, value) in enumerate((set_if_absent or {}).items()):
        names[f"#a{index}"] = name
        assignments.append(f"#a{index} = if_not_exists(#a{index}, :a{index})")
        expression_values[f":a{index}"] = dynamo.to_item({"v": value})["v"]

    expression = ""
    if assignments:
        expression += "SET " + ", ".join(assignments)
    if removals:
        expression += " REMOVE " + ", ".join(removals)
    arguments: dict[str, Any] = {
        "TableName": dynamo.tables().leads,
        "Key": {"lead_id": {"S": lead_id}},
        "UpdateExpression": expression.strip(),
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ReturnValues": "ALL_NEW" if return_new else "NONE",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if expression_values:
        arguments["ExpressionAttributeValues"] = expression_values
    try:
        response = dynamo.client().update_item(**arguments)
    except ClientError as error:
        return _failed_condition(error)
    attributes = response.get("Attributes")
    return WriteOutcome(True, dynamo.from_item(attributes) if attributes else None)


def store_over_placeholder(lead: dict[str, Any]) -> WriteOutcome:
    """Store a complete lead, new or over the placeholder written while the ZIP was pending.

    The placeholder's ``received_at`` is kept. A lead that already left the pending state is
    not touched, which makes the write safe to retry.
    """
    fields = {key: value for key, value in lead.items() if key not in ("lead_id", "received_at")}
    for name in PLACEHOLDER_ATTRIBUTES:
        fields.setdefault(name, None)
    return update_call_lead(
        str(lead["lead_id"]),
        fields,
        condition="attribute_not_exists(lead_id) OR zip_source = :pending",
        values={"pending": PENDING},
        set_if_absent={"received_at": lead["received_at"]},
        return_new=True,
    )
