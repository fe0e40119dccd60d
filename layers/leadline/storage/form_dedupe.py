"""Form duplicates: one item per homeowner + trade that names the first lead until it expires.

Items expire through the table's TTL attribute ``expires_at`` (epoch seconds). DynamoDB deletes
expired items up to a few days late, so every read and write here checks ``expires_at`` too.
"""

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from leadline.storage import dynamo

# A claim can only fail this often in a row if an item expires and is deleted between the
# conditional put and the read, so the limit is never reached in practice.
_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class DedupeClaim:
    """The lead that owns a homeowner + trade: ``is_new`` when this request just claimed it."""

    lead_id: str
    is_new: bool


def claim(
    table: str, homeowner_key: str, lead_id: str, *, now_epoch: int, expires_at: int, first_seen_at: str
) -> DedupeClaim:
    """Claim ``homeowner_key`` for ``lead_id`` unless an unexpired claim names another lead."""
    for _ in range(_MAX_ATTEMPTS):
        try:
            dynamo.client().put_item(
                TableName=table,
                Item=dynamo.to_item({
                    "homeowner_key": homeowner_key,
                    "lead_id": lead_id,
                    "first_seen_at": first_seen_at,
                    "expires_at": expires_at,
                }),
                ConditionExpression="attribute_not_exists(homeowner_key) OR expires_at <= :now",
                ExpressionAttributeValues={":now": {"N": str(now_epoch)}},
            )
        except ClientError as error:
            if not dynamo.is_conditional_check_failure(error):
                raise
        else:
            return DedupeClaim(lead_id=lead_id, is_new=True)

        existing = _get(table, homeowner_key)
        if existing is not None and int(existing["expires_at"]) > now_epoch:
            return DedupeClaim(lead_id=str(existing["lead_id"]), is_new=False)
    raise RuntimeError(f"could not claim a form duplicate key after {_MAX_ATTEMPTS} attempts")


def _get(table: str, homeowner_key: str) -> dict[str, Any] | None:
    response = dynamo.client().get_item(
        TableName=table, Key={"homeowner_key": {"S": homeowner_key}}, ConsistentRead=True
    )
    item = response.get("Item")
    return dynamo.from_item(item) if item else None
