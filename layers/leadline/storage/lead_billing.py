"""Billing fields on lead items: earlier leads of a homeowner, and conditional decision writes."""

from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from leadline.storage import dynamo
from leadline.storage.leads import BY_HOMEOWNER_INDEX

_serializer = TypeSerializer()


def homeowner_leads(homeowner_key: str, start: str, end: str) -> list[dict[str, Any]]:
    """Return a homeowner's leads received in [start, end], from the ByHomeowner index.

    Items carry the index projection only: lead_id, homeowner_key, received_at, contractor_id
    and billable. The index is eventually consistent, so a decision written a moment ago may
    not be visible yet.
    """
    paginator = dynamo.client().get_paginator("query")
    pages = paginator.paginate(
        TableName=dynamo.tables().leads,
        IndexName=BY_HOMEOWNER_INDEX,
        KeyConditionExpression="homeowner_key = :key AND received_at BETWEEN :start AND :end",
        ExpressionAttributeValues={":key": {"S": homeowner_key}, ":start": {"S": start}, ":end": {"S": end}},
    )
    found: list[dict[str, Any]] = []
    for page in pages:
        found.extend(dynamo.from_item(item) for item in page["Items"])
    return found


def store_decision(lead_id: str, decision: dict[str, Any], expected_inputs: dict[str, Any]) -> bool:
    """Write billing fields onto a lead only while its decision inputs are still as read.

    ``decision`` maps attribute names to values to set. ``expected_inputs`` maps each input
    attribute to the value it was decided from, or None when it was absent. Returns False,
    writing nothing, when any input changed or the lead is gone.
    """
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    assignments = []
    for index, (field, value) in enumerate(decision.items()):
        names[f"#set{index}"] = field
        values[f":set{index}"] = _serializer.serialize(value)
        assignments.append(f"#set{index} = :set{index}")

    conditions = ["attribute_exists(lead_id)"]
    for index, (field, value) in enumerate(expected_inputs.items()):
        names[f"#in{index}"] = field
        if value is None:
            conditions.append(f"attribute_not_exists(#in{index})")
        else:
            values[f":in{index}"] = _serializer.serialize(value)
            conditions.append(f"#in{index} = :in{index}")

    try:
        dynamo.client().update_item(
            TableName=dynamo.tables().leads,
            Key={"lead_id": {"S": lead_id}},
            UpdateExpression="SET " + ", ".join(assignments),
            ConditionExpression=" AND ".join(conditions),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except ClientError as error:
        if dynamo.is_conditional_check_failure(error):
            return False
        raise
    return True
