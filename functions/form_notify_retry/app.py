"""SQS worker: sends the form-lead notifications that were not sent yet, and only those."""

import warnings
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from leadline.forms.retry import retry_notifications
from leadline.observability import logger, metrics

# A batch whose records all fail is reported like a partial failure instead of raising, so
# every failure returns to the queue the same way and counts toward the dead-letter limit.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


# Most retries find nothing left to send and record no metric, so Powertools' warning is noise.
warnings.filterwarnings("ignore", message="No application metrics to publish")


def retry_record(record: SQSRecord) -> None:
    """Retry one lead; raising leaves the message on the queue for the next attempt."""
    report = retry_notifications(record.body)
    if report.sent:
        metrics.add_metric(name="FormNotificationRetrySent", unit=MetricUnit.Count, value=len(report.sent))
    logger.info("notification retry done", sent=report.sent, already_sent=report.already_sent)


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = process_partial_response(
        event=event, record_handler=retry_record, processor=processor, context=context
    )
    return dict(response)
