"""Validating form fields: every error names its field and the fix, and text is kept as sent."""

from typing import Any

import pytest

from leadline.forms.errors import FormValidationError
from leadline.forms.model import MAX_MESSAGE, MAX_NAME, LeadForm, validate_form


def fields(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "site": "Dallas Roof Pros",
        "trade": "roofing",
        "zip": "75201",
        "phone": "(214) 555-0123",
        "name": "Zoë Müller",
        "consent": True,
        "disclosure_version": "2026-11-01",
        "page_url": "https://dallasroofpros.example/estimate",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def errors_of(values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(FormValidationError) as raised:
        validate_form(values)
    return {error.field: error.message for error in raised.value.errors}


def test_valid_form_is_normalised() -> None:
    form = validate_form(fields(trade=" Roofing ", zip="75201-1234", ownership="Owner"))
    assert form.trade == "roofing"
    assert form.zip == "75201"
    assert form.phone == "+12145550123"
    assert form.ownership == "owner"
    assert form.consent is True


@pytest.mark.parametrize(
    "name",
    ["Zoë Müller", "José Ñúñez-García", "Łukasz Żółć", "山田 太郎", "Zoë 🏠", "👩‍🔧 Renée", "e\u0301tienne"],
)
def test_unicode_names_kept_exactly(name: str) -> None:
    assert validate_form(fields(name=name)).name == name


def test_surrounding_spaces_trimmed() -> None:
    assert validate_form(fields(name="  Zoë  ")).name == "Zoë"


def test_missing_fields_each_named() -> None:
    problems = errors_of({})
    required = {"site", "trade", "zip", "phone", "name", "consent", "disclosure_version", "page_url"}
    assert set(problems) == required
    assert "5-digit ZIP" in problems["zip"]
    assert "tick the consent box" in problems["consent"]


def test_zip_json_number_asks_for_string() -> None:
    problems = errors_of(fields(zip=75201))
    assert list(problems) == ["zip"]
    assert "must be a string" in problems["zip"]
    assert "quote it" in problems["zip"]


@pytest.mark.parametrize("zip_code", ["7520", "752011", "75201-12", "ABCDE", "75201 1234"])
def test_invalid_zip_rejected(zip_code: str) -> None:
    assert "5 digits" in errors_of(fields(zip=zip_code))["zip"]


def test_overlong_zip_text_rejected() -> None:
    assert "characters long" in errors_of(fields(zip="7" * 500))["zip"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("214.555.0123", "+12145550123"),
        ("1-214-555-0123", "+12145550123"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_formats_normalised(raw: str, expected: str) -> None:
    assert validate_form(fields(phone=raw)).phone == expected


@pytest.mark.parametrize("phone", ["555-0123", "123", "+1 012 555 0123", "call me"])
def test_invalid_phone_rejected(phone: str) -> None:
    assert "phone" in errors_of(fields(phone=phone))["phone"]


def test_phone_number_type_rejected() -> None:
    assert "must be a string" in errors_of(fields(phone=2145550123))["phone"]


def test_unknown_trade_lists_trades() -> None:
    assert "roofing, hvac, plumbing, electrical" in errors_of(fields(trade="painting"))["trade"]


def test_trade_number_rejected() -> None:
    assert "must be a string" in errors_of(fields(trade=7))["trade"]


def test_name_length_limit() -> None:
    assert validate_form(fields(name="x" * MAX_NAME)).name == "x" * MAX_NAME
    assert f"the maximum is {MAX_NAME}" in errors_of(fields(name="x" * (MAX_NAME + 1)))["name"]


def test_name_with_line_break_rejected() -> None:
    assert "line breaks" in errors_of(fields(name="Zoë\nMüller"))["name"]


def test_blank_name_rejected() -> None:
    assert "cannot be blank" in errors_of(fields(name="   "))["name"]


def test_name_object_rejected() -> None:
    assert errors_of(fields(name={"first": "Zoë"}))["name"] == "name must be a string"


def test_message_keeps_line_breaks() -> None:
    text = "Leak over the garage.\r\nPlease call after 5.\tThanks 🙏"
    assert validate_form(fields(message=text)).message == text


def test_message_length_limit() -> None:
    assert f"the maximum is {MAX_MESSAGE}" in errors_of(fields(message="x" * (MAX_MESSAGE + 1)))["message"]


def test_message_control_character_rejected() -> None:
    assert "control characters" in errors_of(fields(message="a\x00b"))["message"]


@pytest.mark.parametrize("field", ["email", "message", "service_type", "ownership"])
def test_blank_optional_field_is_absent(field: str) -> None:
    assert getattr(validate_form(fields(**{field: "  "})), field) is None


def test_invalid_email_rejected() -> None:
    assert "name@example.com" in errors_of(fields(email="zoe at example"))["email"]


def test_service_type_must_be_slug() -> None:
    assert validate_form(fields(service_type="roof_replacement")).service_type == "roof_replacement"
    assert "roof_replacement" in errors_of(fields(service_type="Roof Replacement"))["service_type"]


def test_ownership_values() -> None:
    assert validate_form(fields(ownership="renter")).ownership == "renter"
    assert errors_of(fields(ownership="landlord"))["ownership"] == 'ownership must be "owner" or "renter"'


@pytest.mark.parametrize("value", [True, "on", "yes", "TRUE", "1"])
def test_consent_given(value: object) -> None:
    assert validate_form(fields(consent=value)).consent is True


@pytest.mark.parametrize("value", [False, "", "off", "no"])
def test_consent_refused(value: object) -> None:
    assert "was not given" in errors_of(fields(consent=value))["consent"]


def test_consent_other_value_rejected() -> None:
    assert "must be true" in errors_of(fields(consent=1))["consent"]


def test_disclosure_version_format() -> None:
    assert "disclosure_version" in errors_of(fields(disclosure_version="v 1 <b>"))["disclosure_version"]


def test_page_url_must_be_http() -> None:
    assert "http(s)" in errors_of(fields(page_url="javascript:alert(1)"))["page_url"]


def test_unknown_fields_ignored() -> None:
    assert validate_form(fields(submit="Send", utm_source="google")).site == "Dallas Roof Pros"


def test_errors_never_contain_pydantic_text() -> None:
    problems = errors_of(fields(zip=75201, name=5, ownership=3, email=["x"]))
    for message in problems.values():
        assert "Value error" not in message
        assert "pydantic" not in message
        assert "Input should" not in message


def test_model_forbids_mutation() -> None:
    form = validate_form(fields())
    assert isinstance(form, LeadForm)
    with pytest.raises(ValueError, match="frozen"):
        form.name = "Other"  # type: ignore[misc]
