"""The durable fallback for leads that could not be written: an SQS queue, drained by recovery.

Messages carry the lead as a DynamoDB item in JSON (``{"trade": {"S": "roofing"}, ...}``), so
Decimal values survive the trip unchanged and recovery writes them as they are.
"""

import json
from typing import TYPE_CHECKING, Any

from leadline.storage import dynamo

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

# The local stack has no queues of its own; in local mode this one is created on first use.
LOCAL_QUEUE_NAME = "LeadFallbackQueue"

_client: "SQSClient | None" = None


def client() -> "SQSClient":
    global _client
    if _client is None:
        import boto3
        from botocore.config import Config

        # Same limits as the DynamoDB client, so the voice webhook still responds to Twilio in time.
        config = Config(connect_timeout=1, read_timeout=2, retries={"mode": "standard", "max_attempts": 2})
        _client = boto3.client("sqs", config=config)
    return _client


def set_client(new_client: "SQSClient | None") -> None:
    global _client
    _client = new_client


def local_queue_url() -> str:
    """Return the local fallback queue's URL, creating the queue if it does not exist yet."""
    return client().create_queue(QueueName=LOCAL_QUEUE_NAME)["QueueUrl"]


def encode_lead(lead: dict[str, Any]) -> str:
    return json.dumps(dynamo.to_item(lead), sort_keys=True)


def decode_lead(body: str) -> dict[str, Any]:
    return dynamo.from_item(json.loads(body))


def send_lead(queue_url: str, lead: dict[str, Any]) -> str:
    """Queue a lead for recovery. Returns the SQS message id; raises botocore errors."""
    response = client().send_message(
        QueueUrl=queue_url,
        MessageBody=encode_lead(lead),
        MessageAttributes={"lead_id": {"DataType": "String", "StringValue": str(lead["lead_id"])}},
    )
    return response["MessageId"]
