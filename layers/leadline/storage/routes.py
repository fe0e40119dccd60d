"""Routes: (trade, ZIP) -> the one contractor who owns it.

Exclusivity is enforced by DynamoDB, not by callers: every write is conditional on the slot
being free or already held by the same contractor, so two concurrent assignments of one slot
can never both succeed. Moving a slot to another contractor is ``transfer_route``, which is
conditional on the current owner.
"""

from typing import Any

from botocore.exceptions import ClientError

from leadline.errors import ExclusivityError, TransferError
from leadline.storage import dynamo


def get_route(trade: str, zip_code: str) -> dict[str, Any] | None:
    response = dynamo.client().get_item(
        TableName=dynamo.tables().routes,
        Key={"trade": {"S": trade}, "zip": {"S": zip_code}},
    )
    item = response.get("Item")
    return dynamo.from_item(item) if item else None


def assign_route(route: dict[str, Any]) -> None:
    """Write a route if its slot is free or already owned by the same contractor.

    Raises ExclusivityError naming both contractors when another contractor owns the slot.
    """
    try:
        dynamo.client().put_item(
            TableName=dynamo.tables().routes,
            Item=dynamo.to_item(route),
            ConditionExpression="attribute_not_exists(#zip) OR contractor_id = :owner",
            ExpressionAttributeNames={"#zip": "zip"},
            ExpressionAttributeValues={":owner": {"S": route["contractor_id"]}},
        )
    except ClientError as error:
        if not dynamo.is_conditional_check_failure(error):
            raise
        current = get_route(route["trade"], route["zip"])
        owner = current["contractor_id"] if current else "<released meanwhile>"
        raise ExclusivityError(
            route["trade"], route["zip"], owner, route["contractor_id"]
        ) from error


def transfer_route(route: dict[str, Any], from_contractor_id: str) -> None:
    """Move a slot from one contractor to another in one conditional write."""
    try:
        dynamo.client().put_item(
            TableName=dynamo.tables().routes,
            Item=dynamo.to_item(route),
            ConditionExpression="contractor_id = :previous",
            ExpressionAttributeValues={":previous": {"S": from_contractor_id}},
        )
    except ClientError as error:
        if not dynamo.is_conditional_check_failure(error):
            raise
        current = get_route(route["trade"], route["zip"])
        owner = current["contractor_id"] if current else "nobody"
        raise TransferError(
            f"cannot transfer {route['trade']} in ZIP {route['zip']} from "
            f"{from_contractor_id!r}: it is owned by {owner}"
        ) from error


def release_route(trade: str, zip_code: str, contractor_id: str) -> None:
    """Delete a route, only while it still belongs to ``contractor_id``."""
    try:
        dynamo.client().delete_item(
            TableName=dynamo.tables().routes,
            Key={"trade": {"S": trade}, "zip": {"S": zip_code}},
            ConditionExpression="contractor_id = :owner",
            ExpressionAttributeValues={":owner": {"S": contractor_id}},
        )
    except ClientError as error:
        if not dynamo.is_conditional_check_failure(error):
            raise
        raise TransferError(
            f"cannot release {trade} in ZIP {zip_code}: it is no longer owned by {contractor_id!r}"
        ) from error


def scan_routes() -> list[dict[str, Any]]:
    """Return every route. For config diffs only; never on a request path."""
    paginator = dynamo.client().get_paginator("scan")
    routes: list[dict[str, Any]] = []
    for page in paginator.paginate(TableName=dynamo.tables().routes):
        routes.extend(dynamo.from_item(item) for item in page["Items"])
    return routes
