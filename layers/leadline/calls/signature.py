"""Twilio webhook signatures, checked with the twilio library's RequestValidator.

Twilio signs the URL it requested followed by every POST parameter sorted by name. The URL is
PUBLIC_BASE_URL plus the route's declared path, never one rebuilt from Host or X-Forwarded-*
headers, which the sender controls. Every parameter is kept, blank values and repeated keys
included, because dropping one changes the signed text.
"""

import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator

from leadline.calls.errors import WebhookRejectedError

SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio sends a few dozen parameters; the cap bounds the work an unsigned request can cause.
MAX_FORM_FIELDS = 200

FormParams = list[tuple[str, str]]


class _RepeatedParams(dict[str, list[str]]):
    """Parameters by name with every value. RequestValidator reads them through ``getall``."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def find_header(event: Mapping[str, Any], name: str) -> str | None:
    """Return the first value of a header in any letter case, from an API Gateway REST event."""
    wanted = name.lower()
    for key, values in (event.get("multiValueHeaders") or {}).items():
        if key.lower() == wanted and values:
            return str(values[0])
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == wanted and value is not None:
            return str(value)
    return None


def decode_body(event: Mapping[str, Any]) -> str:
    """Return the request body as text, base64-decoded when API Gateway encoded it."""
    body = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        return str(body)
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise WebhookRejectedError("undecodable_body") from None


def parse_form(body: str) -> FormParams:
    """Parse a urlencoded body in order, keeping blank values and repeated keys."""
    try:
        return parse_qsl(body, keep_blank_values=True, errors="strict", max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise WebhookRejectedError("undecodable_body") from None


def verify_webhook(event: Mapping[str, Any], url: str, auth_token: str | None) -> FormParams:
    """Return the form parameters of a request that Twilio signed for ``url``.

    Raises WebhookRejectedError when the auth token is unknown, the signature header is
    missing or the signature does not match.
    """
    if not auth_token:
        raise WebhookRejectedError("missing_auth_token")
    signature = find_header(event, SIGNATURE_HEADER)
    if not signature:
        raise WebhookRejectedError("missing_signature")

    params = parse_form(decode_body(event))
    grouped = _RepeatedParams()
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    if not RequestValidator(auth_token).validate(url, grouped, signature):
        raise WebhookRejectedError("invalid_signature")
    return params
