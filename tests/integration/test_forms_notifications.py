"""Notifications: sent once, recorded on the lead, retried from the queue without re-sending."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from leadline.forms import retry
from leadline.local.aws import LOCAL_REGION
from tests.support.forms import (
    SENDER,
    FormStack,
    body_json,
    invoke,
    json_event,
    start_form_stack,
    submit,
    valid_fields,
)


@pytest.fixture
def form_stack(aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FormStack]:
    # Moto honours DelaySeconds, so the retries are queued without delay to be received at once.
    monkeypatch.setattr(retry, "RETRY_DELAY_SECONDS", 0)
    yield from start_form_stack(aws, tmp_path, monkeypatch)


def ses() -> Any:
    return boto3.client("ses", region_name=LOCAL_REGION)


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the SQS event Lambda builds from received messages."""
    arn = f"arn:aws:sqs:{LOCAL_REGION}:123456789012:FormNotifyRetryQueue"
    records = [
        {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "0"},
            "messageAttributes": {},
            "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": arn,
            "awsRegion": LOCAL_REGION,
        }
        for message in messages
    ]
    return {"Records": records}


def run_retry(stack: FormStack) -> dict[str, Any]:
    messages = stack.retry_messages()
    assert messages, "no retry message was queued"
    return invoke("form_notify_retry", sqs_event(messages))


def test_sms_failure_queues_retry(form_stack: FormStack) -> None:
    form_stack.break_sms()
    response = submit(json_event(valid_fields()))
    assert response["statusCode"] == 201
    lead_id = body_json(response)["lead_id"]
    lead = form_stack.lead(lead_id)
    assert list(lead["notifications"]) == ["email"]
    assert lead["notification_leases"] == {}
    assert len(form_stack.emails()) == 1
    [message] = form_stack.retry_messages()
    assert json.loads(message["Body"]) == {"lead_id": lead_id}


def test_retry_sends_only_failed_sms(form_stack: FormStack) -> None:
    form_stack.break_sms()
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    form_stack.repair_sms()
    result = run_retry(form_stack)
    assert result == {"batchItemFailures": []}
    assert len(form_stack.sms()) == 1
    assert len(form_stack.emails()) == 1
    recorded = form_stack.lead(lead_id)["notifications"]
    assert recorded["sms"] == form_stack.sms()[0]["sid"]
    assert set(recorded) == {"sms", "email"}


def test_retry_sends_only_failed_email(form_stack: FormStack) -> None:
    ses().delete_identity(Identity=SENDER)
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    assert list(form_stack.lead(lead_id)["notifications"]) == ["sms"]
    assert form_stack.emails() == []
    ses().verify_email_identity(EmailAddress=SENDER)
    assert run_retry(form_stack) == {"batchItemFailures": []}
    assert len(form_stack.emails()) == 1
    assert len(form_stack.sms()) == 1


def test_retry_still_failing_stays_on_queue(form_stack: FormStack) -> None:
    form_stack.break_sms()
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    messages = form_stack.retry_messages()
    result = invoke("form_notify_retry", sqs_event(messages))
    assert result == {"batchItemFailures": [{"itemIdentifier": messages[0]["MessageId"]}]}
    assert list(form_stack.lead(lead_id)["notifications"]) == ["email"]
    assert len(form_stack.emails()) == 1


def test_duplicate_submit_resends_only_missing_channel(form_stack: FormStack) -> None:
    form_stack.break_sms()
    first = submit(json_event(valid_fields()))
    form_stack.repair_sms()
    second = submit(json_event(valid_fields()))
    assert body_json(first) == body_json(second)
    assert len(form_stack.sms()) == 1
    assert len(form_stack.emails()) == 1


def test_retry_queued_before_sending(form_stack: FormStack) -> None:
    """A submit cut short while sending (a Lambda timeout) still leaves its lead on the queue."""
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    [message] = form_stack.retry_messages()
    assert json.loads(message["Body"]) == {"lead_id": lead_id}


def test_complete_lead_retry_sends_nothing(form_stack: FormStack) -> None:
    submit(json_event(valid_fields()))
    assert run_retry(form_stack) == {"batchItemFailures": []}
    assert len(form_stack.sms()) == 1
    assert len(form_stack.emails()) == 1


def test_complete_duplicate_queues_nothing(form_stack: FormStack) -> None:
    submit(json_event(valid_fields()))
    form_stack.retry_messages()
    submit(json_event(valid_fields()))
    assert form_stack.retry_messages() == []


def test_leased_channel_is_not_sent_twice(form_stack: FormStack) -> None:
    form_stack.break_sms()
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    form_stack.repair_sms()
    # Another request is sending the SMS right now: it holds the lease for the next minute.
    form_stack.dynamodb.update_item(
        TableName="LeadsTable",
        Key={"lead_id": {"S": lead_id}},
        UpdateExpression="SET notification_leases.sms = :until",
        ExpressionAttributeValues={":until": {"S": "2999-01-01T00:00:00.000Z"}},
    )
    messages = form_stack.retry_messages()
    result = invoke("form_notify_retry", sqs_event(messages))
    assert result == {"batchItemFailures": [{"itemIdentifier": messages[0]["MessageId"]}]}
    assert form_stack.sms() == []


def test_expired_lease_is_taken_over(form_stack: FormStack) -> None:
    form_stack.break_sms()
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    form_stack.repair_sms()
    form_stack.dynamodb.update_item(
        TableName="LeadsTable",
        Key={"lead_id": {"S": lead_id}},
        UpdateExpression="SET notification_leases.sms = :until",
        ExpressionAttributeValues={":until": {"S": "2000-01-01T00:00:00.000Z"}},
    )
    assert run_retry(form_stack) == {"batchItemFailures": []}
    assert len(form_stack.sms()) == 1
    assert form_stack.lead(lead_id)["notification_leases"] == {}


def test_unqueued_failure_is_503(form_stack: FormStack) -> None:
    form_stack.break_sms()
    sqs = boto3.client("sqs", region_name=LOCAL_REGION)
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName="FormNotifyRetryQueue")["QueueUrl"])
    response = submit(json_event(valid_fields()))
    assert response["statusCode"] == 503
    assert "submit the form again" in body_json(response)["message"]
    [lead] = form_stack.leads()
    assert list(lead["notifications"]) == ["email"]


def test_resubmit_after_503_sends_missing_sms(form_stack: FormStack) -> None:
    form_stack.break_sms()
    sqs = boto3.client("sqs", region_name=LOCAL_REGION)
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName="FormNotifyRetryQueue")["QueueUrl"])
    assert submit(json_event(valid_fields()))["statusCode"] == 503
    form_stack.repair_sms()
    assert submit(json_event(valid_fields()))["statusCode"] == 201
    assert len(form_stack.leads()) == 1
    assert len(form_stack.sms()) == 1
    assert len(form_stack.emails()) == 1


def test_unassigned_lead_email_failure_retried(form_stack: FormStack) -> None:
    ses().delete_identity(Identity=SENDER)
    fields = valid_fields(site="Houston Roof Pros", zip="77002")
    lead_id = body_json(submit(json_event(fields, origin="https://houstonroofpros.example")))["lead_id"]
    ses().verify_email_identity(EmailAddress=SENDER)
    assert run_retry(form_stack) == {"batchItemFailures": []}
    assert [email["To"] for email in form_stack.emails()] == ["ops@porchlight-leads.example"]
    assert form_stack.sms() == []
    assert list(form_stack.lead(lead_id)["notifications"]) == ["email"]


@pytest.mark.parametrize("body", ['{"lead_id": "form-' + "f" * 32 + '"}', "not json", '{"lead_id": "x"}'])
def test_unusable_retry_message_is_dropped(form_stack: FormStack, body: str) -> None:
    message = {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "MD5OfBody": "x"}
    assert invoke("form_notify_retry", sqs_event([message])) == {"batchItemFailures": []}
    assert form_stack.sms() == []
