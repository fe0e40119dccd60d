"""Helpers for the call flow's tests: signed Twilio webhooks sent to the real handler."""

import io
import json
import logging
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from leadline.local.gateway import LambdaContext, load_handler
from leadline.notifications import read_outbox
from leadline.observability import logger
from leadline.storage import dynamo
from tests.support.events import TEST_PUBLIC_URL, twilio_event

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INBOUND_CALL_DIR = PROJECT_ROOT / "functions" / "inbound_call"
LEAD_RECOVERY_DIR = PROJECT_ROOT / "functions" / "lead_recovery"

# Numbers from examples/agency.yaml.
DALLAS_NUMBER = "+12145550100"  # roofing, fixed ZIP 75201, Lone Star Roofing (forward after hours)
DFW_NUMBER = "+18175550100"  # roofing, ask for a ZIP, default 76102 (Cowtown Roofing)
HOUSTON_NUMBER = "+17135550100"  # roofing, ZIP 77002 owned by nobody
BOSTON_NUMBER = "+16175550100"  # hvac, ZIP 02134, Bay State (voicemail after hours, text-back)
DENVER_NUMBER = "+13035550100"  # electrical, ZIP 80202, Front Range Electric (paused)
AGENCY_FALLBACK = "+15125550199"
LONE_STAR_PHONE = "+12145550101"
LONE_STAR_SMS = "+12145550102"
COWTOWN_PHONE = "+18175550101"
BAY_STATE_PHONE = "+16175550101"
CALLER = "+14695550123"

# Wednesday 2 December 2026, 10:00 in Dallas and 11:00 in Boston: everyone is open.
OPEN_HOURS = "2026-12-02T16:00:00.000Z"
# The same Wednesday at 21:30 in Dallas and 22:30 in Boston: everyone is closed.
AFTER_HOURS = "2026-12-03T03:30:00.000Z"


def parse_twiml(document: str) -> ET.Element:
    # The documents come from the handler under test, not from an untrusted sender.
    return ET.fromstring(document)  # noqa: S314


def new_call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def call_params(call_sid: str, to: str, caller: str = CALLER, **extra: str) -> list[tuple[str, str]]:
    """Return a voice webhook's parameters in the order Twilio sends the common ones."""
    params = [
        ("AccountSid", "AC" + "0" * 32),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", call_sid),
        ("CallStatus", "ringing"),
        ("Called", to),
        ("Caller", caller),
        ("Direction", "inbound"),
        ("From", caller),
        ("FromCity", "DALLAS"),
        ("FromState", "TX"),
        ("FromZip", ""),
        ("To", to),
        ("ToState", "TX"),
    ]
    return params + list(extra.items())


def leg_params(parent_call_sid: str, leg_sid: str, **extra: str) -> list[tuple[str, str]]:
    return [
        ("AccountSid", "AC" + "0" * 32),
        ("CallSid", leg_sid),
        ("ParentCallSid", parent_call_sid),
        ("Direction", "outbound-dial"),
        *extra.items(),
    ]


@dataclass
class TwimlResponse:
    status: int
    content_type: str
    body: str

    @property
    def root(self) -> ET.Element:
        return parse_twiml(self.body)

    def find(self, path: str) -> ET.Element:
        element = self.root.find(path)
        assert element is not None, f"{path} not in {self.body}"
        return element

    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]


class VoiceWebhooks:
    """Posts signed webhooks to the inbound_call handler, as API Gateway passes them."""

    def __init__(self) -> None:
        self.handler = load_handler(INBOUND_CALL_DIR, "app.lambda_handler")

    def send(self, event: dict[str, Any]) -> TwimlResponse:
        response = self.handler(event, LambdaContext("InboundCallFunction"))
        headers = {name.lower(): value for name, value in (response.get("headers") or {}).items()}
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers[name.lower()] = values[0]
        return TwimlResponse(int(response["statusCode"]), headers.get("content-type", ""), response["body"])

    def post(self, path: str, params: list[tuple[str, str]], **event_options: Any) -> TwimlResponse:
        return self.send(twilio_event(path, params, **event_options))

    def call(self, call_sid: str, to: str, caller: str = CALLER, **extra: str) -> TwimlResponse:
        return self.post("/twilio/voice", call_params(call_sid, to, caller, **extra))

    def leg(self, path: str, parent_call_sid: str, leg_sid: str, **extra: str) -> TwimlResponse:
        return self.post(path, leg_params(parent_call_sid, leg_sid, **extra))

    def dial_result(self, call_sid: str, to: str, status: str, duration: int = 0) -> TwimlResponse:
        extra = {"DialCallStatus": status, "DialCallSid": new_call_sid(), "DialCallDuration": str(duration)}
        return self.post("/twilio/voice/dial-result", call_params(call_sid, to, **extra))


def url(path: str) -> str:
    return TEST_PUBLIC_URL + path


def stored_lead(lead_id: str) -> dict[str, Any] | None:
    response = dynamo.client().get_item(
        TableName=dynamo.tables().leads, Key={"lead_id": {"S": lead_id}}, ConsistentRead=True
    )
    item = response.get("Item")
    return dynamo.from_item(item) if item else None


def all_leads() -> list[dict[str, Any]]:
    items = dynamo.client().scan(TableName=dynamo.tables().leads)["Items"]
    return [dynamo.from_item(item) for item in items]


def sent_sms(outbox: Path) -> list[dict[str, Any]]:
    return read_outbox(str(outbox))


@contextmanager
def dynamodb_failing(
    operations: tuple[str, ...], code: str = "ProvisionedThroughputExceededException"
) -> Iterator[None]:
    """Make the listed DynamoDB operations fail as an overloaded table does, on the shared client.

    The error is raised where botocore would send the request, so the code under test runs
    unchanged and gets the same ClientError that a real throttle raises after its retries.
    """
    events = dynamo.client().meta.events

    def fail(model: Any, **_: Any) -> None:
        if model.name in operations:
            raise ClientError({"Error": {"Code": code, "Message": "injected by the test"}}, model.name)

    events.register("before-call.dynamodb", fail, unique_id="test-dynamodb-failure")
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb", unique_id="test-dynamodb-failure")


@contextmanager
def counting_dynamodb_calls() -> Iterator[list[str]]:
    """Collect the name of every DynamoDB operation the shared client sends."""
    names: list[str] = []
    events = dynamo.client().meta.events

    def count(model: Any, **_: Any) -> None:
        names.append(model.name)

    events.register("before-call.dynamodb", count, unique_id="test-dynamodb-count")
    try:
        yield names
    finally:
        events.unregister("before-call.dynamodb", unique_id="test-dynamodb-count")


def sqs_event(bodies: list[str]) -> dict[str, Any]:
    """Return an SQS event as Lambda's event source mapping delivers it."""
    return {
        "Records": [
            {
                "messageId": f"message-{index}",
                "receiptHandle": f"handle-{index}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:LeadFallbackQueue",
                "awsRegion": "us-east-1",
            }
            for index, body in enumerate(bodies)
        ]
    }


def recovery_handler() -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    return load_handler(LEAD_RECOVERY_DIR, "app.lambda_handler")


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """Collect every line the leadline logger writes, formatted as in Lambda (JSON with extra keys).

    The logger's own handler writes to the stdout object that existed when it was created,
    which pytest's capture fixtures do not replace, so a second handler with the same formatter
    writes here.
    """
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    logging.getLogger(logger.name).addHandler(handler)
    try:
        yield buffer
    finally:
        logging.getLogger(logger.name).removeHandler(handler)


def log_records(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
