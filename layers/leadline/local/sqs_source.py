"""A stand-in for Lambda's SQS event source mapping: drain a queue into its function's handler.

Messages are received in batches of the function's ``BatchSize`` and passed as the SQS event
Lambda builds. Messages the handler reports as failed (or a whole batch, when it raises) are
made visible again at once, where AWS would wait for the visibility timeout, so a local run
retries them within the same drain. The queue's redrive policy still moves a message that keeps
failing to its dead-letter queue.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from leadline.local.aws import LOCAL_REGION
from leadline.local.gateway import LambdaContext, load_handler
from leadline.local.queues import QueueEventSource, event_source
from leadline.observability import logger

SQS_RECEIVE_LIMIT = 10


@dataclass(frozen=True)
class DrainResult:
    batches: int
    messages: int
    failures: int


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """Return the event Lambda passes for a batch of received SQS messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": dict(message.get("Attributes") or {}),
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(message["Body"].encode("utf-8"), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": LOCAL_REGION,
            }
            for message in messages
        ]
    }


def drain_queue(sqs: Any, function_id: str, *, max_batches: int = 500) -> DrainResult:
    """Feed the function every message of its queue until the queue has none visible."""
    source = event_source(function_id)
    handler = load_handler(source.code_dir, source.handler)
    queue_url = sqs.get_queue_url(QueueName=source.queue_id)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]

    batches = messages_seen = failures = 0
    while batches < max_batches:
        received = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=min(source.batch_size, SQS_RECEIVE_LIMIT),
            AttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not received:
            break
        batches += 1
        messages_seen += len(received)
        failed_ids = _invoke(handler, source, sqs_event(received, queue_arn))
        failures += len(failed_ids)
        for message in received:
            if message["MessageId"] in failed_ids:
                sqs.change_message_visibility(
                    QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return DrainResult(batches, messages_seen, failures)


def _invoke(handler: Any, source: QueueEventSource, event: dict[str, Any]) -> set[str]:
    """Call the handler and return the ids of failed messages, all of them if it raised."""
    all_ids = {record["messageId"] for record in event["Records"]}
    try:
        response = handler(event, LambdaContext(source.function_id, timeout_seconds=60))
    except Exception as error:
        # Lambda treats a raised error as a failed batch, and so does this stand-in before going on.
        logger.warning(
            "local queue batch failed", function_id=source.function_id, error_type=type(error).__name__
        )
        return all_ids
    if not source.reports_item_failures:
        return set()
    return {failure["itemIdentifier"] for failure in (response or {}).get("batchItemFailures", [])}
