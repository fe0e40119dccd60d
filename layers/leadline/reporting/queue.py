"""The report queue: one message per contractor report and one for the agency summary.

Messages are JSON validated with pydantic on the way in, so a malformed message fails alone
and ends in the dead-letter queue instead of stopping a batch.
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from leadline.settings import MissingSettingError

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

REPORT_QUEUE_URL = "REPORT_QUEUE_URL"
SUMMARY_DELAY_SECONDS = "REPORT_SUMMARY_DELAY_SECONDS"
SUMMARY_MAX_CHECKS = "REPORT_SUMMARY_MAX_CHECKS"
SEND_BATCH_LIMIT = 10
MAX_DELAY_SECONDS = 900

_client: "SQSClient | None" = None


class ContractorReportMessage(BaseModel):
    """Send one contractor's report for ``report_date``, as part of the run for ``run_date``."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["contractor"] = "contractor"
    contractor_id: str = Field(min_length=1, max_length=100)
    report_date: date
    run_date: date


class AgencySummaryMessage(BaseModel):
    """Send the agency summary of ``run_date`` once every contractor report is settled.

    ``check`` counts how often the summary has looked; it re-queues itself until every report
    is sent or ``REPORT_SUMMARY_MAX_CHECKS`` is reached, then sends what it has.
    """

    model_config = ConfigDict(frozen=True)

    kind: Literal["agency_summary"] = "agency_summary"
    run_date: date
    check: int = Field(default=1, ge=1)


ReportMessage = Annotated[ContractorReportMessage | AgencySummaryMessage, Field(discriminator="kind")]
_message_adapter: TypeAdapter[ContractorReportMessage | AgencySummaryMessage] = TypeAdapter(ReportMessage)


def parse_message(body: str) -> ContractorReportMessage | AgencySummaryMessage:
    """Parse a queue message body. Raises pydantic.ValidationError naming the bad field."""
    return _message_adapter.validate_json(body)


@dataclass(frozen=True)
class QueueSettings:
    """The queue URL and how the agency summary waits; the template sets all three."""

    queue_url: str
    summary_delay_seconds: int = 300
    summary_max_checks: int = 8

    @classmethod
    def from_env(cls) -> "QueueSettings":
        queue_url = os.environ.get(REPORT_QUEUE_URL)
        if not queue_url:
            raise MissingSettingError(
                f"environment variable {REPORT_QUEUE_URL} is not set; the template sets it to the report "
                "queue's URL, and the local stack to the embedded queue's"
            )
        delay = int(os.environ.get(SUMMARY_DELAY_SECONDS, cls.summary_delay_seconds))
        checks = int(os.environ.get(SUMMARY_MAX_CHECKS, cls.summary_max_checks))
        if not 0 <= delay <= MAX_DELAY_SECONDS:
            raise ValueError(
                f"{SUMMARY_DELAY_SECONDS}={delay} is invalid; SQS allows 0 to {MAX_DELAY_SECONDS} seconds"
            )
        if checks < 1:
            raise ValueError(f"{SUMMARY_MAX_CHECKS}={checks} is invalid; it must be 1 or more")
        return cls(queue_url=queue_url, summary_delay_seconds=delay, summary_max_checks=checks)


def client() -> "SQSClient":
    global _client
    if _client is None:
        import boto3

        _client = boto3.client("sqs")
    return _client


def set_client(new_client: "SQSClient | None") -> None:
    global _client
    _client = new_client


def send_messages(
    queue_url: str,
    messages: Sequence[ContractorReportMessage | AgencySummaryMessage],
    *,
    delay_seconds: int = 0,
) -> None:
    """Send messages in batches of ten. Raises if SQS rejects any, naming how many."""
    for start in range(0, len(messages), SEND_BATCH_LIMIT):
        batch = messages[start : start + SEND_BATCH_LIMIT]
        response = client().send_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(index), "MessageBody": message.model_dump_json(), "DelaySeconds": delay_seconds}
                for index, message in enumerate(batch)
            ],
        )
        failed = response.get("Failed") or []
        if failed:
            codes = sorted({entry.get("Code", "unknown") for entry in failed})
            raise RuntimeError(
                f"SQS rejected {len(failed)} of {len(batch)} report messages: {', '.join(codes)}"
            )
