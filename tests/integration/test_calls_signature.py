"""Twilio signature validation on every voice route: what passes, and every way to fail."""

from typing import Any

import boto3
import pytest

from leadline.calls import paths, settings
from tests.support.calls import (
    DALLAS_NUMBER,
    VoiceWebhooks,
    all_leads,
    call_params,
    new_call_sid,
    stored_lead,
)
from tests.support.events import TEST_AUTH_TOKEN, TEST_PUBLIC_URL, twilio_event, twilio_signature


def assert_rejected(response: Any) -> None:
    assert response.status == 403
    assert response.content_type == "text/xml"
    assert response.verbs() == ["Reject"]


def test_signed_call_is_accepted(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.status == 200
    assert response.content_type == "text/xml"
    assert stored_lead(call_sid) is not None


def test_missing_signature_header_is_rejected(webhooks: VoiceWebhooks) -> None:
    response = webhooks.post(paths.VOICE, call_params(new_call_sid(), DALLAS_NUMBER), signature="")

    assert_rejected(response)
    assert all_leads() == []


def test_wrong_signature_is_rejected(webhooks: VoiceWebhooks) -> None:
    params = call_params(new_call_sid(), DALLAS_NUMBER)
    forged = twilio_signature(TEST_PUBLIC_URL + paths.VOICE, params, auth_token="another-accounts-token")

    response = webhooks.post(paths.VOICE, params, signature=forged)

    assert_rejected(response)
    assert all_leads() == []


def test_signature_for_the_host_header_url_is_rejected(webhooks: VoiceWebhooks) -> None:
    # The event's Host is the execute-api domain; a URL rebuilt from it must never validate.
    params = call_params(new_call_sid(), DALLAS_NUMBER)
    host_url = "https://abc123.execute-api.us-east-1.amazonaws.com/live" + paths.VOICE

    response = webhooks.post(paths.VOICE, params, signature=twilio_signature(host_url, params))

    assert_rejected(response)
    assert all_leads() == []


def test_signature_for_another_route_is_rejected(webhooks: VoiceWebhooks) -> None:
    params = call_params(new_call_sid(), DALLAS_NUMBER)
    signature = twilio_signature(TEST_PUBLIC_URL + paths.ZIP, params)

    response = webhooks.post(paths.VOICE, params, signature=signature)

    assert_rejected(response)


def test_tampered_parameter_is_rejected(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    params = call_params(call_sid, DALLAS_NUMBER)
    signature = twilio_signature(TEST_PUBLIC_URL + paths.VOICE, params)
    tampered = [(key, "+17135550100" if key == "To" else value) for key, value in params]

    response = webhooks.post(paths.VOICE, tampered, signature=signature)

    assert_rejected(response)
    assert stored_lead(call_sid) is None


def test_unset_auth_token_rejects_everything(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(settings.TWILIO_AUTH_TOKEN)

    response = webhooks.call(new_call_sid(), DALLAS_NUMBER)

    assert_rejected(response)
    assert all_leads() == []


def test_lowercase_header_name_is_accepted(webhooks: VoiceWebhooks) -> None:
    # API Gateway passes header names as the client sent them; HTTP/2 clients send lowercase.
    call_sid = new_call_sid()

    response = webhooks.post(
        paths.VOICE, call_params(call_sid, DALLAS_NUMBER), signature_header="x-twilio-signature"
    )

    assert response.status == 200
    assert stored_lead(call_sid) is not None


def test_base64_body_is_decoded_before_checking(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()

    response = webhooks.post(paths.VOICE, call_params(call_sid, DALLAS_NUMBER), base64_body=True)

    assert response.status == 200
    assert stored_lead(call_sid) is not None


def test_undecodable_base64_body_is_rejected(webhooks: VoiceWebhooks) -> None:
    event = twilio_event(paths.VOICE, call_params(new_call_sid(), DALLAS_NUMBER))
    event["isBase64Encoded"] = True
    event["body"] = "%%% not base64 %%%"

    response = webhooks.send(event)

    assert_rejected(response)
    assert all_leads() == []


def test_blank_values_and_repeated_keys_are_signed(webhooks: VoiceWebhooks) -> None:
    # Twilio signs blank parameters and every value of a repeated one; dropping any breaks it.
    call_sid = new_call_sid()
    params = [
        *call_params(call_sid, DALLAS_NUMBER),
        ("CallerName", ""),
        ("StirVerstat", "TN-Validation-Passed-A"),
        ("StirVerstat", "TN-Validation-Passed-B"),
    ]

    response = webhooks.post(paths.VOICE, params)

    assert response.status == 200
    assert stored_lead(call_sid) is not None


def test_dropped_repeated_value_is_rejected(webhooks: VoiceWebhooks) -> None:
    params = [*call_params(new_call_sid(), DALLAS_NUMBER), ("StirVerstat", "A"), ("StirVerstat", "B")]
    signature = twilio_signature(TEST_PUBLIC_URL + paths.VOICE, params)

    response = webhooks.post(paths.VOICE, params[:-1], signature=signature)

    assert_rejected(response)


def test_dropped_blank_value_is_rejected(webhooks: VoiceWebhooks) -> None:
    params = [*call_params(new_call_sid(), DALLAS_NUMBER), ("CallerName", "")]
    signature = twilio_signature(TEST_PUBLIC_URL + paths.VOICE, params)

    response = webhooks.post(paths.VOICE, params[:-1], signature=signature)

    assert_rejected(response)


def test_query_string_is_not_trusted(webhooks: VoiceWebhooks) -> None:
    # Twilio-facing URLs carry no query string, so one added on the way fails the check.
    params = call_params(new_call_sid(), DALLAS_NUMBER)
    event = twilio_event(paths.VOICE, params)
    event["queryStringParameters"] = {"zip": "77002"}
    event["multiValueQueryStringParameters"] = {"zip": ["77002"]}
    signed_with_query = twilio_signature(TEST_PUBLIC_URL + paths.VOICE + "?zip=77002", params)
    event["headers"]["X-Twilio-Signature"] = signed_with_query
    event["multiValueHeaders"]["X-Twilio-Signature"] = [signed_with_query]

    response = webhooks.send(event)

    assert_rejected(response)


@pytest.mark.parametrize("path", paths.ALL)
def test_every_route_rejects_unsigned_requests(webhooks: VoiceWebhooks, path: str) -> None:
    call_sid = new_call_sid()
    params = [*call_params(call_sid, DALLAS_NUMBER), ("ParentCallSid", call_sid)]

    response = webhooks.post(path, params, signature="")

    assert_rejected(response)
    assert all_leads() == []


def test_token_from_ssm_in_deployed_mode(webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch) -> None:
    from aws_lambda_powertools.utilities import parameters

    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name="/leadline/twilio/auth-token", Value=TEST_AUTH_TOKEN, Type="SecureString"
    )
    monkeypatch.delenv(settings.LOCAL_MODE)
    monkeypatch.delenv(settings.TWILIO_AUTH_TOKEN)
    monkeypatch.setenv(settings.TWILIO_AUTH_TOKEN_PARAMETER, "/leadline/twilio/auth-token")
    monkeypatch.setenv(settings.LEAD_FALLBACK_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/123456789012/q")
    settings.call_settings.cache_clear()
    parameters.clear_caches()
    call_sid = new_call_sid()

    try:
        response = webhooks.call(call_sid, DALLAS_NUMBER)
    finally:
        parameters.clear_caches()

    assert response.status == 200
    assert stored_lead(call_sid) is not None


def test_missing_ssm_parameter_rejects(webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch) -> None:
    from aws_lambda_powertools.utilities import parameters

    monkeypatch.delenv(settings.LOCAL_MODE)
    monkeypatch.setenv(settings.TWILIO_AUTH_TOKEN_PARAMETER, "/leadline/twilio/not-there")
    monkeypatch.setenv(settings.LEAD_FALLBACK_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/123456789012/q")
    settings.call_settings.cache_clear()
    parameters.clear_caches()

    try:
        response = webhooks.call(new_call_sid(), DALLAS_NUMBER)
    finally:
        parameters.clear_caches()

    assert_rejected(response)
    assert all_leads() == []


def test_missing_public_url_answers_twiml_500(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(settings.PUBLIC_BASE_URL)
    settings.call_settings.cache_clear()

    response = webhooks.call(new_call_sid(), DALLAS_NUMBER)

    assert response.status == 500
    assert response.content_type == "text/xml"
    assert response.verbs() == ["Say", "Hangup"]
    assert all_leads() == []
