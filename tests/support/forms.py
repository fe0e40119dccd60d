"""Form-flow helpers: the real handlers, their events, and a small agency with an SMS outbox."""

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_string
from email.message import Message
from email.policy import default
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from leadline import notifications
from leadline.forms import retry, sites
from leadline.local.aws import LOCAL_REGION
from leadline.local.exports import sent_raw_emails
from leadline.local.gateway import LambdaContext, build_rest_event, load_handler
from leadline.storage import dynamo
from tests.support.events import form_body

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = PROJECT_ROOT / "functions"
AGENCY_CONFIG = Path(__file__).with_name("forms_agency.yaml")
SENDER = "reports@porchlight-leads.example"
DALLAS_ORIGIN = "https://dallasroofpros.example"


def valid_fields(**overrides: Any) -> dict[str, Any]:
    """Return a valid Dallas roofing submit (lone-star-roofing owns ZIP 75201)."""
    fields: dict[str, Any] = {
        "site": "Dallas Roof Pros",
        "trade": "roofing",
        "zip": "75201",
        "phone": "(214) 555-0123",
        "name": "Zoë Müller",
        "email": "zoe@example.com",
        "message": "Hail damage on the north side.\nPlease call after 5.",
        "service_type": "roof_repair",
        "ownership": "owner",
        "consent": True,
        "disclosure_version": "2026-11-01",
        "page_url": "https://dallasroofpros.example/free-estimate",
        "website": "",
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value is not None}


def request_event(
    method: str,
    body: str | bytes | None,
    *,
    content_type: str | None,
    base64_body: bool = False,
    origin: str | None = DALLAS_ORIGIN,
    extra_headers: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Return an API Gateway REST event for /leads, as a browser at ``origin`` sends it."""
    headers = [("User-Agent", "Mozilla/5.0 (test)")]
    if origin:
        headers.append(("Origin", origin))
    if content_type:
        headers.append(("Content-Type", content_type))
    headers += extra_headers or []
    return build_rest_event(
        method, "/leads", headers=headers, body=body, base64_body=base64_body, source_ip="203.0.113.7"
    )


def json_event(payload: Any, *, base64_body: bool = False, **options: Any) -> dict[str, Any]:
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload, ensure_ascii=False)
    return request_event("POST", body, content_type="application/json", base64_body=base64_body, **options)


def html_form_event(fields: dict[str, Any], *, base64_body: bool = False, **options: Any) -> dict[str, Any]:
    """Return the event for a plain HTML form post. True is a ticked checkbox ("on"), False is left out."""
    pairs = [
        (name, "on" if value is True else str(value)) for name, value in fields.items() if value is not False
    ]
    return request_event(
        "POST", form_body(pairs), content_type="application/x-www-form-urlencoded",
        base64_body=base64_body, **options,
    )


def load_function(name: str) -> ModuleType:
    """Import ``functions/<name>/app.py`` as Lambda and the local gateway do."""
    load_handler(FUNCTIONS / name, "app.lambda_handler")
    return sys.modules[f"leadline_function_{name}_app"]


def invoke(function: str, event: dict[str, Any]) -> dict[str, Any]:
    module = load_function(function)
    response: dict[str, Any] = module.lambda_handler(event, LambdaContext(function))
    return response


def submit(event: dict[str, Any]) -> dict[str, Any]:
    return invoke("form_submit", event)


def header(response: dict[str, Any], name: str) -> str | None:
    """Return a response header in any letter case, from headers or multiValueHeaders."""
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return str(values[0])
    return None


def body_json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


@dataclass
class FormStack:
    """The applied example agency in moto, with the SMS outbox and the sent emails readable."""

    dynamodb: Any
    outbox: Path
    monkeypatch: pytest.MonkeyPatch

    def break_sms(self) -> None:
        """Make every SMS send fail: the outbox path names a folder, so appending to it raises."""
        folder = self.outbox.with_name("outbox-folder")
        folder.mkdir(exist_ok=True)
        self.monkeypatch.setenv(notifications.SMS_OUTBOX, str(folder))

    def repair_sms(self) -> None:
        self.monkeypatch.setenv(notifications.SMS_OUTBOX, str(self.outbox))

    def sms(self) -> list[dict[str, Any]]:
        return notifications.read_outbox(str(self.outbox))

    def emails(self) -> list[Message]:
        return [message_from_string(raw, policy=default) for raw in sent_raw_emails()]

    def leads(self) -> list[dict[str, Any]]:
        items = self.dynamodb.scan(TableName=dynamo.tables().leads)["Items"]
        return [dynamo.from_item(item) for item in items]

    def lead(self, lead_id: str) -> dict[str, Any]:
        key = {"lead_id": {"S": lead_id}}
        item = self.dynamodb.get_item(TableName=dynamo.tables().leads, Key=key, ConsistentRead=True)["Item"]
        return dynamo.from_item(item)

    def retry_messages(self) -> list[dict[str, Any]]:
        """Receive the retry messages that are visible now."""
        import boto3

        sqs = boto3.client("sqs", region_name=LOCAL_REGION)
        url = sqs.get_queue_url(QueueName="FormNotifyRetryQueue")["QueueUrl"]
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        return list(received.get("Messages", []))


def start_form_stack(aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FormStack]:
    """Yield the small test agency applied, its SES sender verified, SMS written to tmp_path.

    Test modules wrap it in their own ``form_stack`` fixture, with the ``aws`` fixture's client.
    """
    import boto3

    from leadline.config.apply import apply_diff, plan
    from leadline.config.loader import load_config

    apply_diff(plan(load_config(AGENCY_CONFIG)))
    outbox = tmp_path / "sms.jsonl"
    monkeypatch.setenv(notifications.SMS_OUTBOX, str(outbox))
    boto3.client("ses", region_name=LOCAL_REGION).verify_email_identity(EmailAddress=SENDER)
    _reset_clients()
    yield FormStack(dynamodb=aws, outbox=outbox, monkeypatch=monkeypatch)
    _reset_clients()


def _reset_clients() -> None:
    sites.clear_cache()
    notifications.set_ses_client(None)
    retry.set_sqs_client(None)
