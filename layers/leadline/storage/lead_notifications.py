"""Notification records on the lead item, written with conditional updates.

``notifications`` maps a channel ("sms", "email") to the provider's message id once it was
sent. ``notification_leases`` maps a channel to the ISO time until which one sender may send
it, so two requests for the same lead never send the same channel at the same time. Both maps
must exist on the lead (``create_lead`` with empty maps) because DynamoDB cannot set a key
inside a missing map.
"""

from botocore.exceptions import ClientError

from leadline.storage import dynamo


def acquire_lease(lead_id: str, channel: str, *, now: str, until: str) -> bool:
    """Take the right to send ``channel`` until ``until``. Returns False when it was sent or leased."""
    return _update(
        lead_id,
        "SET notification_leases.#channel = :until",
        "attribute_exists(lead_id) AND attribute_not_exists(notifications.#channel) AND "
        "(attribute_not_exists(notification_leases.#channel) OR notification_leases.#channel < :now)",
        channel,
        {":until": {"S": until}, ":now": {"S": now}},
    )


def record_sent(lead_id: str, channel: str, message_id: str) -> bool:
    """Record a sent channel. Returns False, writing nothing, when it was already recorded."""
    return _update(
        lead_id,
        "SET notifications.#channel = :message_id REMOVE notification_leases.#channel",
        "attribute_not_exists(notifications.#channel)",
        channel,
        {":message_id": {"S": message_id}},
    )


def release_lease(lead_id: str, channel: str, *, until: str) -> None:
    """Give up a lease after a failed send, so a retry need not wait for it to run out."""
    _update(
        lead_id,
        "REMOVE notification_leases.#channel",
        "notification_leases.#channel = :until",
        channel,
        {":until": {"S": until}},
    )


def _update(
    lead_id: str, update: str, condition: str, channel: str, values: dict[str, dict[str, str]]
) -> bool:
    try:
        dynamo.client().update_item(
            TableName=dynamo.tables().leads,
            Key={"lead_id": {"S": lead_id}},
            UpdateExpression=update,
            ConditionExpression=condition,
            ExpressionAttributeNames={"#channel": channel},
            ExpressionAttributeValues=values,
        )
    except ClientError as error:
        if dynamo.is_conditional_check_failure(error):
            return False
        raise
    return True
