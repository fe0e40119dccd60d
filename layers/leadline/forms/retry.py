"""Notification retries: each new form lead's id goes on a queue, with a delay, before sending.

FormNotifyRetryFunction reads the queue and sends only the channels the lead does not record as
sent, which is nothing when the first attempt succeeded. SQS delivers a failed message again
after its visibility timeout, and moves it to the dead-letter queue after the number of receives
set in template.yaml.
"""

import json
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from leadline.forms import sites
from leadline.forms.errors import NotificationsPendingError
from leadline.forms.notify import DeliveryReport, deliver
from leadline.observability import logger
from leadline.storage import leads

# Long enough for a lease held by a request that stopped mid-send to run out (notify.LEASE_SECONDS).
RETRY_DELAY_SECONDS = 60

_sqs_client: Any = None


def sqs_client() -> Any:
    global _sqs_client
    if _sqs_client is None:
        import boto3

        _sqs_client = boto3.client("sqs")
    return _sqs_client


def set_sqs_client(client: Any) -> None:
    """Replace the SQS client (``None`` makes the next call create one)."""
    global _sqs_client
    _sqs_client = client


class RetryMessage(BaseModel):
    """The body of a retry message: the lead id only, never personal data."""

    lead_id: str = Field(pattern=r"^form-[0-9a-f]{32}$")


def schedule_retry(queue_url: str, lead_id: str) -> None:
    sqs_client().send_message(
        QueueUrl=queue_url,
        MessageBody=json.dumps(RetryMessage(lead_id=lead_id).model_dump()),
        DelaySeconds=RETRY_DELAY_SECONDS,
    )


def retry_notifications(message_body: str) -> DeliveryReport:
    """Send what a queued lead still lacks. Raises NotificationsPendingError so SQS retries it."""
    try:
        lead_id = RetryMessage.model_validate_json(message_body).lead_id
    except ValidationError:
        # Retrying cannot fix a malformed message; its text is not logged because it is unknown input.
        logger.error("notification retry message is invalid; dropping it")
        return DeliveryReport()
    lead = leads.get_lead(lead_id, consistent=True)
    if lead is None:
        # Leads are never deleted, so a retry can only name a lead that was never stored.
        logger.error("notification retry names a lead that does not exist; dropping it", lead_id=lead_id)
        return DeliveryReport()
    report = deliver(lead, sites.current().agency)
    if report.pending:
        raise NotificationsPendingError(lead_id, report.pending)
    return report
