"""Rejected submits: each gets a 4xx JSON response that names the problem, and nothing is stored or sent."""

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadline.forms.body import MAX_BODY_BYTES
from tests.support.forms import (
    FormStack,
    body_json,
    header,
    html_form_event,
    json_event,
    request_event,
    start_form_stack,
    submit,
    valid_fields,
)


@pytest.fixture
def form_stack(aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FormStack]:
    yield from start_form_stack(aws, tmp_path, monkeypatch)


def assert_nothing_happened(stack: FormStack) -> None:
    assert stack.leads() == []
    assert stack.sms() == []
    assert stack.emails() == []
    assert stack.dynamodb.scan(TableName="FormDedupeTable")["Count"] == 0


def assert_error_response(response: dict[str, Any], status: int) -> dict[str, Any]:
    assert response["statusCode"] == status
    assert header(response, "Content-Type") == "application/json; charset=utf-8"
    error_body = body_json(response)
    assert set(error_body) == {"message", "errors"}
    assert "Traceback" not in response["body"]
    assert "Error(" not in response["body"]
    return dict(error_body)


def field_messages(error_body: dict[str, Any]) -> dict[str, str]:
    return {error["field"]: error["message"] for error in error_body["errors"]}


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_empty_body_is_400(form_stack: FormStack, content_type: str) -> None:
    error_body = assert_error_response(submit(request_event("POST", None, content_type=content_type)), 400)
    assert "empty" in error_body["message"]
    assert_nothing_happened(form_stack)


@pytest.mark.parametrize("base64_body", [False, True])
def test_oversized_body_is_413(form_stack: FormStack, base64_body: bool) -> None:
    payload = valid_fields(message="x" * (MAX_BODY_BYTES + 1))
    error_body = assert_error_response(submit(json_event(payload, base64_body=base64_body)), 413)
    assert f"the maximum is {MAX_BODY_BYTES} bytes" in error_body["message"]
    assert_nothing_happened(form_stack)


@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data; boundary=abc", None])
def test_wrong_content_type_is_415(form_stack: FormStack, content_type: str | None) -> None:
    body = json.dumps(valid_fields())
    error_body = assert_error_response(submit(request_event("POST", body, content_type=content_type)), 415)
    assert "application/x-www-form-urlencoded" in error_body["message"]
    assert_nothing_happened(form_stack)


def test_latin1_charset_is_415(form_stack: FormStack) -> None:
    content_type = "application/x-www-form-urlencoded; charset=ISO-8859-1"
    event = request_event("POST", "name=Zo%EB", content_type=content_type)
    assert_error_response(submit(event), 415)
    assert_nothing_happened(form_stack)


def test_invalid_json_is_400(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event('{"name": "Zoë", "zip": }')), 400)
    assert "not valid JSON" in error_body["message"]
    assert_nothing_happened(form_stack)


def test_json_array_is_400(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event([valid_fields()])), 400)
    assert "must be an object" in error_body["message"]
    assert_nothing_happened(form_stack)


def test_invalid_base64_is_400(form_stack: FormStack) -> None:
    event = json_event(valid_fields())
    event["isBase64Encoded"] = True
    assert_error_response(submit(event), 400)
    assert_nothing_happened(form_stack)


def test_json_number_zip_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(zip=75201))), 422)
    messages = field_messages(error_body)
    assert list(messages) == ["zip"]
    assert "must be a string of 5 digits, not a number" in messages["zip"]
    assert_nothing_happened(form_stack)


def test_bad_zip_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(zip="7520"))), 422)
    assert "expected 5 digits or ZIP+4" in field_messages(error_body)["zip"]
    assert_nothing_happened(form_stack)


def test_zip_plus4_is_cut(form_stack: FormStack) -> None:
    assert submit(json_event(valid_fields(zip="75201-1234")))["statusCode"] == 201
    assert form_stack.leads()[0]["zip"] == "75201"


def test_bad_phone_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(phone="555-0100"))), 422)
    assert "not a valid US number" in field_messages(error_body)["phone"]
    assert_nothing_happened(form_stack)


def test_foreign_e164_phone_accepted(form_stack: FormStack) -> None:
    assert submit(json_event(valid_fields(phone="+44 20 7946 0958")))["statusCode"] == 201
    assert form_stack.leads()[0]["caller_phone"] == "+442079460958"


def test_missing_consent_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(consent=None))), 422)
    assert "consent" in field_messages(error_body)
    assert_nothing_happened(form_stack)


def test_unticked_consent_box_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(html_form_event(valid_fields(consent=False))), 422)
    assert "consent" in field_messages(error_body)
    assert_nothing_happened(form_stack)


def test_html_form_errors_not_redirected(form_stack: FormStack) -> None:
    response = submit(html_form_event(valid_fields(zip="", phone="")))
    error_body = assert_error_response(response, 422)
    assert header(response, "Location") is None
    assert set(field_messages(error_body)) == {"zip", "phone"}
    assert_nothing_happened(form_stack)


def test_every_bad_field_reported_at_once(form_stack: FormStack) -> None:
    fields = valid_fields(zip=75201, phone="12", name="", email="nope", ownership="landlord", consent=None)
    error_body = assert_error_response(submit(json_event(fields)), 422)
    assert set(field_messages(error_body)) == {"zip", "phone", "name", "email", "ownership", "consent"}
    assert error_body["message"] == "6 fields are missing or invalid; fix them and submit again."


def test_unknown_site_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(site="Austin Roofers"))), 422)
    assert "not in the agency config" in field_messages(error_body)["site"]
    assert_nothing_happened(form_stack)


def test_trade_not_sold_on_site_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(trade="hvac", zip="02134"))), 422)
    assert "takes roofing leads" in field_messages(error_body)["trade"]
    assert_nothing_happened(form_stack)


def test_overlong_name_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(name="Zoë" * 40))), 422)
    assert "the maximum is 100" in field_messages(error_body)["name"]
    assert_nothing_happened(form_stack)


def test_repeated_form_field_is_422(form_stack: FormStack) -> None:
    event = html_form_event(valid_fields())
    event["body"] += "&phone=%2B12145550199"
    error_body = assert_error_response(submit(event), 422)
    assert "appears 2 times" in field_messages(error_body)["phone"]
    assert_nothing_happened(form_stack)


def test_missing_phone_is_422_not_a_duplicate(form_stack: FormStack) -> None:
    first = submit(json_event(valid_fields()))
    assert first["statusCode"] == 201
    response = submit(json_event(valid_fields(phone=None)))
    error_body = assert_error_response(response, 422)
    assert "phone is required" in field_messages(error_body)["phone"]
    assert "lead_id" not in error_body


def test_missing_trade_is_422(form_stack: FormStack) -> None:
    error_body = assert_error_response(submit(json_event(valid_fields(trade=None))), 422)
    assert "trade is required" in field_messages(error_body)["trade"]
    assert_nothing_happened(form_stack)


def test_base64_form_with_errors_is_422(form_stack: FormStack) -> None:
    response = submit(html_form_event(valid_fields(zip="abc"), base64_body=True))
    error_body = assert_error_response(response, 422)
    assert "zip" in field_messages(error_body)


def test_invalid_utf8_in_base64_body_is_400(form_stack: FormStack) -> None:
    raw = "name=Zoë&zip=75201".encode("latin-1")
    event = request_event(
        "POST", base64.b64encode(raw).decode(), content_type="application/x-www-form-urlencoded"
    )
    event["isBase64Encoded"] = True
    assert "UTF-8" in assert_error_response(submit(event), 400)["message"]
    assert_nothing_happened(form_stack)


def test_unexpected_failure_is_500_without_details(form_stack: FormStack) -> None:
    form_stack.dynamodb.delete_table(TableName="RoutesTable")
    response = submit(json_event(valid_fields()))
    error_body = assert_error_response(response, 500)
    assert error_body == {
        "message": "The request could not be processed because of an internal error. Please try again.",
        "errors": [],
    }
    assert "ResourceNotFound" not in response["body"]


def test_unknown_path_is_404(form_stack: FormStack) -> None:
    event = json_event(valid_fields())
    event["path"] = event["resource"] = "/leads/extra"
    assert submit(event)["statusCode"] == 404
