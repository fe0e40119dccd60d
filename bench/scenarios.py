"""One scenario per function: the events of a realistic request sequence, built in the parent.

Each scenario names the function folder it drives. When that folder is not in template.yaml
yet, the scenario is skipped and the report states that the function is not merged yet. Events are
built here (signed, as API Gateway and SQS deliver them) so the measured child process does no
work of its own besides the import and the invocations.

The data is the example agency (examples/agency.yaml) applied to the bench's moto server.
"""

import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from bench.aws_stack import AUTH_TOKEN, PUBLIC_BASE_URL, AwsStack
from bench.project import FunctionSpec

# Numbers and contractors of examples/agency.yaml.
DALLAS_NUMBER = "+12145550100"  # roofing, fixed ZIP 75201, Lone Star Roofing, forwards after hours
DFW_NUMBER = "+18175550100"  # roofing, prompts the caller for a ZIP, default 76102
LONE_STAR = "lone-star-roofing"
LONE_STAR_CONTRACT = "lone-star-dallas-roofing"
DALLAS_SITE = "Dallas Roof Pros"
DALLAS_ORIGIN = "https://dallasroofpros.example"
ACCOUNT_SID = "AC" + "0" * 32

OK_STATUSES = frozenset({200, 201, 303})


@dataclass
class Request:
    name: str
    event: dict[str, Any]
    expected_status: frozenset[int] | None = OK_STATUSES
    # What the report's "warm, one read and one write" check applies to.
    tag: str = ""


@dataclass
class Scenario:
    function: str
    description: str
    build: Callable[[FunctionSpec, AwsStack], list[Request]]
    stub_twilio: bool = False
    notes: list[str] = field(default_factory=list)


def new_call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def random_caller() -> str:
    return "+1469555" + f"{secrets.randbelow(10_000):04d}"


def twilio_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def twilio_event(path: str, params: list[tuple[str, str]]) -> dict[str, Any]:
    """Return an API Gateway event for a Twilio webhook, signed as Twilio signs it."""
    from tests.support.events import twilio_event as signed_event

    return signed_event(path, params, public_url=PUBLIC_BASE_URL, auth_token=AUTH_TOKEN)


def call_params(call_sid: str, to: str, caller: str, **extra: str) -> list[tuple[str, str]]:
    params = [
        ("AccountSid", ACCOUNT_SID),
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


def leg_params(parent_sid: str, leg_sid: str, **extra: str) -> list[tuple[str, str]]:
    return [
        ("AccountSid", ACCOUNT_SID),
        ("CallSid", leg_sid),
        ("ParentCallSid", parent_sid),
        ("Direction", "outbound-dial"),
        *extra.items(),
    ]


def voice_requests(function: FunctionSpec, stack: AwsStack) -> list[Request]:
    """Return an answered call, a missed call with a voicemail and an ask-for-ZIP call.

    The first request finds every cache empty (a cold start), and the second is a new call to the
    same number on the now warm function.
    """
    now = datetime.now(UTC)
    answered, missed, ask_zip = new_call_sid(), new_call_sid(), new_call_sid()
    leg = new_call_sid()
    caller = random_caller()
    recording_url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/RE{secrets.token_hex(16)}"

    def status(call_status: str, seconds: int) -> list[tuple[str, str]]:
        return leg_params(
            answered,
            leg,
            CallStatus=call_status,
            Timestamp=twilio_timestamp(now + timedelta(seconds=seconds)),
            CallbackSource="call-progress-events",
        )

    steps = [
        (
            "incoming call, cold start",
            "/twilio/voice",
            call_params(new_call_sid(), DALLAS_NUMBER, random_caller()),
            "cold",
        ),
        ("incoming call, warm", "/twilio/voice", call_params(answered, DALLAS_NUMBER, caller), "warm"),
        ("same call retried by Twilio", "/twilio/voice", call_params(answered, DALLAS_NUMBER, caller), ""),
        ("leg status: ringing", "/twilio/voice/status", status("ringing", 1), ""),
        ("whisper to the contractor", "/twilio/voice/whisper", leg_params(answered, leg, CallStatus="in-progress"), ""),
        ("contractor presses 1", "/twilio/voice/whisper/accept", leg_params(answered, leg, Digits="1"), ""),
        ("leg status: in-progress", "/twilio/voice/status", status("in-progress", 9), ""),
        ("leg status: completed", "/twilio/voice/status", status("completed", 120), ""),
        (
            "dial result: answered",
            "/twilio/voice/dial-result",
            call_params(
                answered, DALLAS_NUMBER, caller, DialCallStatus="completed", DialCallSid=leg, DialCallDuration="111"
            ),
            "",
        ),
        ("incoming call, to be missed", "/twilio/voice", call_params(missed, DALLAS_NUMBER, caller), ""),
        (
            "dial result: no answer",
            "/twilio/voice/dial-result",
            call_params(missed, DALLAS_NUMBER, caller, DialCallStatus="no-answer", DialCallSid=new_call_sid()),
            "",
        ),
        (
            "voicemail recorded",
            "/twilio/voice/voicemail",
            call_params(missed, DALLAS_NUMBER, caller, RecordingUrl=recording_url, RecordingDuration="24"),
            "",
        ),
        (
            "recording callback",
            "/twilio/voice/recording",
            [
                ("AccountSid", ACCOUNT_SID),
                ("CallSid", missed),
                ("RecordingSid", recording_url.rpartition("/")[2]),
                ("RecordingUrl", recording_url),
                ("RecordingStatus", "completed"),
                ("RecordingDuration", "24"),
                ("RecordingSource", "RecordVerb"),
            ],
            "",
        ),
        ("incoming call, ask for a ZIP", "/twilio/voice", call_params(ask_zip, DFW_NUMBER, random_caller()), ""),
        ("caller enters a ZIP", "/twilio/voice/zip", call_params(ask_zip, DFW_NUMBER, caller, Digits="76102"), ""),
    ]
    served = {event.path for event in function.api_events}
    requests = []
    for name, path, params, tag in steps:
        if path not in served:
            continue
        requests.append(Request(name, twilio_event(path, params), tag=tag))
    return requests


def rest_event(
    method: str,
    path: str,
    *,
    headers: list[tuple[str, str]],
    body: str | None,
    resource: str | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    from leadline.local.gateway import build_rest_event

    return build_rest_event(
        method,
        path,
        headers=headers,
        body=body,
        resource=resource,
        path_parameters=path_parameters,
        source_ip="203.0.113.7",
    )


def form_fields(phone: str, **overrides: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "site": DALLAS_SITE,
        "trade": "roofing",
        "zip": "75201",
        "phone": phone,
        "name": "Zoë Müller",
        "email": "zoe@example.com",
        "message": "Hail damage on the north side. Please call after 5.",
        "service_type": "roof_repair",
        "ownership": "owner",
        "consent": True,
        "disclosure_version": "2026-11-01",
        "page_url": "https://dallasroofpros.example/free-estimate",
        "website": "",
    }
    fields.update(overrides)
    return fields


def form_requests(function: FunctionSpec, stack: AwsStack) -> list[Request]:
    """Return JSON and HTML form posts, a duplicate, a preflight and an invalid post."""
    browser = [("Origin", DALLAS_ORIGIN), ("User-Agent", "Mozilla/5.0 (bench)")]
    json_headers = [*browser, ("Content-Type", "application/json")]
    html_headers = [*browser, ("Content-Type", "application/x-www-form-urlencoded")]
    first = form_fields("(214) 555-0123")
    html_pairs = [
        (name, "on" if value is True else str(value)) for name, value in form_fields("(214) 555-0177").items()
    ]
    preflight_headers = [*browser, ("Access-Control-Request-Method", "POST")]
    return [
        Request(
            "JSON post, cold start",
            rest_event("POST", "/leads", headers=json_headers, body=json.dumps(first)),
            tag="cold",
        ),
        Request(
            "JSON post, warm",
            rest_event("POST", "/leads", headers=json_headers, body=json.dumps(form_fields("(214) 555-0145"))),
            tag="warm",
        ),
        Request(
            "same homeowner again (duplicate)",
            rest_event("POST", "/leads", headers=json_headers, body=json.dumps(first)),
        ),
        Request("HTML form post", rest_event("POST", "/leads", headers=html_headers, body=urlencode(html_pairs))),
        Request(
            "CORS preflight",
            rest_event("OPTIONS", "/leads", headers=preflight_headers, body=None),
            frozenset({200, 204}),
        ),
        Request(
            "invalid ZIP",
            rest_event(
                "POST", "/leads", headers=json_headers, body=json.dumps(form_fields("(214) 555-0188", zip="7520"))
            ),
            frozenset({400, 422}),
        ),
    ]


def sqs_event(bodies: list[str], queue: str) -> dict[str, Any]:
    """Return an SQS event as Lambda's event source mapping delivers it."""
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": f"handle-{index}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "0"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
            for index, body in enumerate(bodies)
        ]
    }


def store_lead(**fields: Any) -> dict[str, Any]:
    """Write a lead shaped as the call and form flows store them, assigned to Lone Star Roofing."""
    import hashlib

    from leadline.clock import utc_now_iso
    from leadline.storage.leads import create_lead

    phone = fields.pop("caller_phone", random_caller())
    lead = {
        "lead_id": new_call_sid(),
        "channel": "call",
        "received_at": utc_now_iso(),
        "trade": "roofing",
        "zip": "75201",
        "zip_source": "fixed",
        "site": DALLAS_SITE,
        "contractor_id": LONE_STAR,
        "contract_id": LONE_STAR_CONTRACT,
        "assignment": "assigned",
        "caller_phone": phone,
        "homeowner_key": hashlib.sha256(f"roofing#{phone}".encode()).hexdigest(),
        **fields,
    }
    create_lead(lead)
    return lead


def outcome_requests(function: FunctionSpec, stack: AwsStack) -> list[Request]:
    from leadline.api_keys import issue_key

    key = issue_key(LONE_STAR, replace=True)
    lead_ids = [store_lead(call_result="answered", accepted=True, connected_seconds=140)["lead_id"] for _ in range(2)]
    body = {
        "appointment_booked": True,
        "appointment_at": "2026-12-07T14:00:00-06:00",
        "job_won": True,
        "revenue": "12400.00",
        "gross_profit": "4100.00",
        "service_type": "roof_replacement",
    }
    headers = [("Authorization", f"Bearer {key}"), ("Content-Type", "application/json")]

    def post(name: str, lead_id: str, expected: frozenset[int] = OK_STATUSES, tag: str = "") -> Request:
        event = rest_event(
            "POST",
            f"/leads/{lead_id}/outcome",
            headers=headers,
            body=json.dumps(body),
            resource="/leads/{id}/outcome",
            path_parameters={"id": lead_id},
        )
        return Request(name, event, expected, tag)

    return [
        post("outcome, cold start", lead_ids[0], tag="cold"),
        post("outcome, warm", lead_ids[1], tag="warm"),
        post("same outcome again", lead_ids[1]),
        post("unknown lead", new_call_sid(), frozenset({404})),
    ]


def retry_requests(function: FunctionSpec, stack: AwsStack) -> list[Request]:
    """Return retries of a form lead whose SMS and email were never sent, then of one fully sent."""
    lead = store_lead(
        lead_id="form-" + uuid.uuid4().hex,
        channel="form",
        zip_source="form",
        name="Zoë Müller",
        email="zoe@example.com",
        message="Hail damage.",
        service_type="roof_repair",
        ownership="owner",
        notifications={},
        notification_leases={},
        consent={
            "disclosure_version": "2026-11-01",
            "consented_at": "2026-12-01T15:00:00.000Z",
            "page_url": "https://dallasroofpros.example/free-estimate",
            "source_ip": "203.0.113.7",
        },
    )
    body = json.dumps({"lead_id": lead["lead_id"]})
    return [
        Request("retry: both notifications pending", sqs_event([body], "FormNotifyRetryQueue"), None, "cold"),
        Request("retry: nothing left to send", sqs_event([body], "FormNotifyRetryQueue"), None, "warm"),
    ]


def recovery_requests(function: FunctionSpec, stack: AwsStack) -> list[Request]:
    """Return fallback-queue messages of two call leads that the voice webhook could not store."""
    from leadline.clock import utc_now_iso
    from leadline.storage import dynamo

    def body() -> str:
        lead = {
            "lead_id": new_call_sid(),
            "channel": "call",
            "received_at": utc_now_iso(),
            "trade": "roofing",
            "zip": "75201",
            "zip_source": "fixed",
            "contractor_id": LONE_STAR,
            "contract_id": LONE_STAR_CONTRACT,
            "assignment": "assigned",
            "call_result": "pending",
            "route_action": "fallback",
        }
        return json.dumps(dynamo.to_item(lead), sort_keys=True)

    return [
        Request("recover a queued lead, cold start", sqs_event([body()], "LeadFallbackQueue"), None, "cold"),
        Request("recover a queued lead, warm", sqs_event([body()], "LeadFallbackQueue"), None, "warm"),
    ]


def report_day() -> datetime:
    """Return noon UTC yesterday: the report day of the example contractors' nightly run."""
    yesterday = datetime.now(UTC) - timedelta(days=1)
    return yesterday.replace(hour=18, minute=0, second=0, microsecond=0)


def report_leads() -> None:
    """Store a day of Lone Star Roofing leads: answered, missed with voicemail, and a form lead."""
    from leadline.clock import to_iso

    day = report_day()
    for index in range(6):
        received = to_iso(day + timedelta(minutes=17 * index))
        store_lead(
            received_at=received,
            call_result="answered",
            accepted=True,
            connected_seconds=95 + index,
            seconds_to_answer=Decimal("7.5"),
            route_action="forward",
        )
    store_lead(received_at=to_iso(day + timedelta(hours=2)), call_result="missed", voicemail_left=True)
    store_lead(
        received_at=to_iso(day + timedelta(hours=3)),
        channel="form",
        zip_source="form",
        service_type="roof_repair",
        ownership="owner",
    )


def nightly_requests(function: FunctionSpec, stack: AwsStack) -> list[Request]:
    scheduled = (datetime.now(UTC)).strftime("%Y-%m-%dT12:30:00Z")
    return [Request("start the nightly run", {"scheduled_time": scheduled}, None, "cold")]


def worker_requests(function: FunctionSpec, stack: AwsStack) -> list[Request]:
    """Return one contractor report for a day with eight leads, then the same message again."""
    report_leads()
    report_date = report_day().date().isoformat()
    message = {"kind": "contractor", "contractor_id": LONE_STAR, "report_date": report_date, "run_date": report_date}
    event = sqs_event([json.dumps(message)], "ReportQueue")
    return [
        Request("one contractor's report", event, None, "cold"),
        Request("same message again (already sent)", sqs_event([json.dumps(message)], "ReportQueue"), None, "warm"),
    ]


SCENARIOS = [
    Scenario("inbound_call", "voice webhook: answered, missed and ask-for-ZIP calls", voice_requests, stub_twilio=True),
    Scenario("form_submit", "form posts: JSON, HTML, duplicate, preflight, invalid", form_requests, stub_twilio=True),
    Scenario("form_notify_retry", "form notification retries from SQS", retry_requests, stub_twilio=True),
    Scenario("outcome_api", "outcome API posts", outcome_requests),
    Scenario("lead_recovery", "lead fallback queue", recovery_requests),
    Scenario("nightly_report", "nightly run start: queue one report per contractor", nightly_requests),
    Scenario("report_worker", "one contractor's nightly report from SQS", worker_requests),
]
