"""Logs of the form flow carry ids and outcomes, never the homeowner's or contractor's details."""

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from leadline.forms import retry
from leadline.local.aws import LOCAL_REGION
from leadline.observability import logger
from tests.support.forms import (
    FormStack,
    html_form_event,
    invoke,
    json_event,
    start_form_stack,
    submit,
    valid_fields,
)

NAME = "Zoë Quintanilla-Müller"
EMAIL = "zoe.quintanilla@example.com"
MESSAGE = "Skylight leaks above the nursery"
SOURCE_IP = "203.0.113.7"

# Every spelling of a personal value that must not reach a log line.
PERSONAL_DATA = [
    NAME, "Quintanilla", EMAIL, MESSAGE, SOURCE_IP,
    "+12145550123", "2145550123", "555-0123", "555.0123", "+17135550123", "+12145550199", "+12145550177",
    # The contractor's phone numbers and email, from the test agency config.
    "+12145550101", "+12145550102", "office@lonestarroofing.example", "ops@porchlight-leads.example",
]


@pytest.fixture
def form_stack(aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FormStack]:
    monkeypatch.setattr(retry, "RETRY_DELAY_SECONDS", 0)
    yield from start_form_stack(aws, tmp_path, monkeypatch)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Every line the leadline logger writes, formatted as in Lambda (JSON with all keys)."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    yield buffer
    logger.removeHandler(handler)


def fields(**overrides: Any) -> dict[str, Any]:
    personal = {"name": NAME, "email": EMAIL, "message": MESSAGE, "phone": "(214) 555-0123"}
    return valid_fields(**{**personal, **overrides})


def run_every_path(stack: FormStack) -> None:
    submit(json_event(fields()))
    submit(json_event(fields()))
    submit(html_form_event(fields(site="Houston Roof Pros", zip="77002", phone="+17135550123")))
    submit(json_event(fields(website="spam")))
    submit(json_event(fields(zip=75201, email="not-an-email")))
    submit(json_event(fields(phone="555-0123")))
    submit(html_form_event(fields(trade="hvac")))

    stack.break_sms()
    submit(json_event(fields(trade="roofing", phone="+12145550199")))
    stack.repair_sms()
    invoke("form_notify_retry", {"Records": [
        {
            "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"], "attributes": {}, "messageAttributes": {}, "md5OfBody": "",
            "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
            "awsRegion": LOCAL_REGION,
        }
        for message in stack.retry_messages()
    ]})

    boto3.client("dynamodb", region_name=LOCAL_REGION).delete_table(TableName="RoutesTable")
    submit(json_event(fields(phone="+12145550177")))


def test_logs_hold_no_personal_data(
    form_stack: FormStack,
    log_output: io.StringIO,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.INFO)
    run_every_path(form_stack)
    captured = capfd.readouterr()
    texts = {"leadline logger": log_output.getvalue(), "all loggers": caplog.text, "stdout": captured.out}
    texts["stderr"] = captured.err
    for source, text in texts.items():
        for value in PERSONAL_DATA:
            assert value not in text, f"{value!r} found in {source}"


def test_logs_name_outcomes_and_ids(form_stack: FormStack, log_output: io.StringIO) -> None:
    run_every_path(form_stack)
    text = log_output.getvalue()
    for message in (
        "form lead stored",
        "duplicate form submit; responding with the first lead's id",
        "form honeypot filled; nothing stored or sent",
        "form submit rejected",
        "notification failed",
        "notification left to the retry queue",
        "notification sent",
        "form request failed",
    ):
        assert message in text
    assert '"lead_id":"form-' in text
    assert '"fields":["email","zip"]' in text
