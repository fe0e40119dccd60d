"""API Gateway REST proxy events for tests, with bodies and Twilio signatures as real senders make them."""

from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from leadline.local.gateway import build_rest_event
from leadline.local.replay.context import _params_for_signature

TEST_AUTH_TOKEN = "test-auth-token-0123456789abcdef"
TEST_PUBLIC_URL = "https://leads.agency.example/live"


def twilio_signature(url: str, params: list[tuple[str, str]], auth_token: str = TEST_AUTH_TOKEN) -> str:
    """Sign as Twilio does: the full URL, then every parameter sorted by name, HMAC-SHA1."""
    return str(RequestValidator(auth_token).compute_signature(url, _params_for_signature(params)))


def twilio_event(
    path: str,
    params: list[tuple[str, str]],
    *,
    base64_body: bool = False,
    signature: str | None = None,
    signature_header: str = "X-Twilio-Signature",
    public_url: str = TEST_PUBLIC_URL,
    auth_token: str = TEST_AUTH_TOKEN,
) -> dict[str, Any]:
    """Return a signed Twilio webhook event for ``path`` (pass ``signature=""`` to omit the header)."""
    if signature is None:
        signature = twilio_signature(public_url + path, params, auth_token)
    headers = [
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("User-Agent", "TwilioProxy/1.1"),
        ("Host", "abc123.execute-api.us-east-1.amazonaws.com"),
    ]
    if signature:
        headers.append((signature_header, signature))
    return build_rest_event("POST", path, headers=headers, body=urlencode(params), base64_body=base64_body)


def form_event(
    path: str,
    body: str | bytes | None,
    *,
    content_type: str | None = "application/x-www-form-urlencoded",
    base64_body: bool = False,
    extra_headers: list[tuple[str, str]] | None = None,
    path_parameters: dict[str, str] | None = None,
    resource: str | None = None,
) -> dict[str, Any]:
    headers = [("Origin", "https://dallasroofpros.example"), ("User-Agent", "Mozilla/5.0 (test)")]
    if content_type:
        headers.append(("Content-Type", content_type))
    headers += extra_headers or []
    return build_rest_event(
        "POST", path, headers=headers, body=body, base64_body=base64_body,
        path_parameters=path_parameters, resource=resource, source_ip="203.0.113.7",
    )


def form_body(fields: list[tuple[str, str]]) -> str:
    return urlencode(fields)
