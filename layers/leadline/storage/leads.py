"""Leads: calls keyed by CallSid, forms by a generated id; never deleted by the application.

``contractor_id`` is the literal ``UNASSIGNED`` for leads nobody owns, so unsold demand can be
queried through the same ``ByContractor`` index as everyone else's leads.
"""

from typing import Any

from botocore.exceptions import ClientError

from leadline.storage import dynamo

UNASSIGNED = "UNASSIGNED"
BY_CONTRACTOR_INDEX = "ByContractor"
BY_HOMEOWNER_INDEX = "ByHomeowner"


def create_lead(lead: dict[str, Any]) -> bool:
    """Store a new lead. Returns False, writing nothing, when ``lead_id`` already exists."""
    if not lead.get("lead_id"):
        raise ValueError("lead_id is empty; a lead needs a CallSid or a generated id")
    try:
        dynamo.client().put_item(
            TableName=dynamo.tables().leads,
            Item=dynamo.to_item(lead),
            ConditionExpression="attribute_not_exists(lead_id)",
        )
    except ClientError as error:
        if dynamo.is_conditional_check_failure(error):
            return False
        raise
    return True


def get_lead(lead_id: str, *, consistent: bool = False) -> dict[str, Any] | None:
    response = dynamo.client().get_item(
        TableName=dynamo.tables().leads,
        Key={"lead_id": {"S": lead_id}},
        ConsistentRead=consistent,
    )
    item = response.get("Item")
    return dynamo.from_item(item) if item else None


def leads_for_contractor(contractor_id: str, start: str, end: str) -> list[dict[str, Any]]:
    """Return a contractor's leads received in [start, end), times as ISO 8601 UTC strings."""
    paginator = dynamo.client().get_paginator("query")
    leads: list[dict[str, Any]] = []
    pages = paginator.paginate(
        TableName=dynamo.tables().leads,
        IndexName=BY_CONTRACTOR_INDEX,
        KeyConditionExpression="contractor_id = :cid AND received_at BETWEEN :start AND :end",
        ExpressionAttributeValues={
            ":cid": {"S": contractor_id},
            ":start": {"S": start},
            ":end": {"S": end},
        },
    )
    for page in pages:
        leads.extend(
            lead for lead in map(dynamo.from_item, page["Items"]) if lead["received_at"] < end
        )
    return leads
