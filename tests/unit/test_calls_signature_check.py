"""verify_webhook against signatures computed by hand, as Twilio documents the algorithm."""

import base64
import hashlib
import hmac
from urllib.parse import urlencode

import pytest

from leadline.calls.errors import WebhookRejectedError
from leadline.calls.signature import find_header, parse_form, verify_webhook

TOKEN = "12345"
URL = "https://mycompany.example/live/twilio/voice"


def by_hand(url: str, params: list[tuple[str, str]], token: str = TOKEN) -> str:
    """URL, then each name and value sorted by name (values sorted too), HMAC-SHA1, base64."""
    text = url + "".join(name + value for name, value in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), text.encode(), hashlib.sha1).digest()).decode()


def event(params: list[tuple[str, str]], signature: str | None, header: str = "X-Twilio-Signature") -> dict:  # type: ignore[type-arg]
    headers = {header: signature} if signature is not None else {}
    return {
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "body": urlencode(params),
        "isBase64Encoded": False,
    }


PARAMS = [("CallSid", "CA" + "a" * 32), ("Digits", "1234"), ("From", "+14158675310"), ("Caller", "")]


def test_hand_computed_signature_passes() -> None:
    params = verify_webhook(event(PARAMS, by_hand(URL, PARAMS)), URL, TOKEN)

    assert params == PARAMS


def test_repeated_key_values_are_all_signed() -> None:
    params = [*PARAMS, ("Tag", "b"), ("Tag", "a")]

    assert verify_webhook(event(params, by_hand(URL, params)), URL, TOKEN) == params


def test_signature_of_other_token_fails() -> None:
    with pytest.raises(WebhookRejectedError) as raised:
        verify_webhook(event(PARAMS, by_hand(URL, PARAMS, token="54321")), URL, TOKEN)

    assert raised.value.reason == "invalid_signature"


def test_missing_header_fails() -> None:
    with pytest.raises(WebhookRejectedError) as raised:
        verify_webhook(event(PARAMS, None), URL, TOKEN)

    assert raised.value.reason == "missing_signature"


def test_missing_token_fails_before_anything_else() -> None:
    with pytest.raises(WebhookRejectedError) as raised:
        verify_webhook(event(PARAMS, by_hand(URL, PARAMS)), URL, None)

    assert raised.value.reason == "missing_auth_token"


def test_header_found_in_any_case() -> None:
    assert find_header({"headers": {"x-TWILIO-signature": "abc"}}, "X-Twilio-Signature") == "abc"


def test_single_value_headers_are_read_too() -> None:
    assert (
        find_header(
            {"headers": {"X-Twilio-Signature": "abc"}, "multiValueHeaders": None}, "x-twilio-signature"
        )
        == "abc"
    )


def test_form_keeps_blank_values_and_order() -> None:
    assert parse_form("b=&a=1&a=2&c=%2B1") == [("b", ""), ("a", "1"), ("a", "2"), ("c", "+1")]


def test_form_with_too_many_fields_is_rejected() -> None:
    with pytest.raises(WebhookRejectedError):
        parse_form("&".join(f"f{index}=1" for index in range(500)))
