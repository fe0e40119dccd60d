"""Decoding form bodies: media types, base64, size limit, JSON and URL-encoded fields."""

import base64
import json
from urllib.parse import urlencode

import pytest

from leadline.forms.body import FORM_MEDIA_TYPE, JSON_MEDIA_TYPE, MAX_BODY_BYTES, decode_body
from leadline.forms.errors import (
    BodyTooLargeError,
    FormValidationError,
    MalformedBodyError,
    UnsupportedMediaTypeError,
)


def test_json_object_fields() -> None:
    body = decode_body("application/json", '{"name": "Zoë 🏠", "zip": "75201"}', is_base64_encoded=False)
    assert body.media_type == JSON_MEDIA_TYPE
    assert body.fields == {"name": "Zoë 🏠", "zip": "75201"}
    assert not body.is_html_form


def test_form_fields_keep_blank_values() -> None:
    text = urlencode([("name", "Zoë Müller"), ("website", ""), ("consent", "on")])
    body = decode_body(FORM_MEDIA_TYPE, text, is_base64_encoded=False)
    assert body.is_html_form
    assert body.fields == {"name": "Zoë Müller", "website": "", "consent": "on"}


def test_base64_body_is_decoded() -> None:
    encoded = base64.b64encode(urlencode([("name", "Zoë")]).encode()).decode()
    body = decode_body(FORM_MEDIA_TYPE, encoded, is_base64_encoded=True)
    assert body.fields == {"name": "Zoë"}


@pytest.mark.parametrize(
    "content_type",
    ["APPLICATION/JSON", "application/json; charset=UTF-8", 'application/json; charset="utf-8"'],
)
def test_media_type_variants_accepted(content_type: str) -> None:
    body = decode_body(content_type, '{"a": "b"}', is_base64_encoded=False)
    assert body.media_type == JSON_MEDIA_TYPE


@pytest.mark.parametrize(
    "content_type", [None, "", "text/plain", "multipart/form-data; boundary=x", "application/xml"]
)
def test_other_media_types_rejected(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaTypeError) as raised:
        decode_body(content_type, '{"a": "b"}', is_base64_encoded=False)
    assert "application/json" in raised.value.message


def test_non_utf8_charset_rejected() -> None:
    with pytest.raises(UnsupportedMediaTypeError) as raised:
        decode_body("application/x-www-form-urlencoded; charset=ISO-8859-1", "a=b", is_base64_encoded=False)
    assert "iso-8859-1" in raised.value.message
    assert "UTF-8" in raised.value.message


@pytest.mark.parametrize("body", [None, "", "   \n"])
def test_empty_body_rejected(body: str | None) -> None:
    with pytest.raises(MalformedBodyError) as raised:
        decode_body("application/json", body, is_base64_encoded=False)
    assert "empty" in raised.value.message


def test_body_over_limit_rejected() -> None:
    text = json.dumps({"message": "x" * MAX_BODY_BYTES})
    with pytest.raises(BodyTooLargeError) as raised:
        decode_body("application/json", text, is_base64_encoded=False)
    assert str(MAX_BODY_BYTES) in raised.value.message


def test_body_at_limit_accepted() -> None:
    padding = MAX_BODY_BYTES - len(json.dumps({"m": ""}))
    text = json.dumps({"m": "x" * padding})
    assert len(text.encode()) == MAX_BODY_BYTES
    assert decode_body("application/json", text, is_base64_encoded=False).fields["m"] == "x" * padding


def test_limit_counts_utf8_bytes_not_characters() -> None:
    text = json.dumps({"m": "é" * (MAX_BODY_BYTES // 2)}, ensure_ascii=False)
    assert len(text) < MAX_BODY_BYTES
    with pytest.raises(BodyTooLargeError):
        decode_body("application/json", text, is_base64_encoded=False)


def test_oversized_base64_body_rejected() -> None:
    encoded = base64.b64encode(b"a=" + b"x" * MAX_BODY_BYTES).decode()
    with pytest.raises(BodyTooLargeError):
        decode_body(FORM_MEDIA_TYPE, encoded, is_base64_encoded=True)


def test_invalid_base64_rejected() -> None:
    with pytest.raises(MalformedBodyError) as raised:
        decode_body(FORM_MEDIA_TYPE, "not base64!", is_base64_encoded=True)
    assert "base64" in raised.value.message


def test_invalid_utf8_bytes_rejected() -> None:
    encoded = base64.b64encode("name=Zoë".encode("latin-1")).decode()
    with pytest.raises(MalformedBodyError) as raised:
        decode_body(FORM_MEDIA_TYPE, encoded, is_base64_encoded=True)
    assert "UTF-8" in raised.value.message


def test_percent_encoded_latin1_rejected() -> None:
    with pytest.raises(MalformedBodyError) as raised:
        decode_body(FORM_MEDIA_TYPE, "name=Zo%EB", is_base64_encoded=False)
    assert "UTF-8" in raised.value.message


@pytest.mark.parametrize("text", ['{"name": "x",}', "[1, 2]", '"just a string"', "null"])
def test_json_that_is_not_an_object_rejected(text: str) -> None:
    with pytest.raises(MalformedBodyError) as raised:
        decode_body("application/json", text, is_base64_encoded=False)
    assert "JSON" in raised.value.message


def test_invalid_json_hides_parser_text() -> None:
    with pytest.raises(MalformedBodyError) as raised:
        decode_body("application/json", '{"name": }', is_base64_encoded=False)
    assert raised.value.message.startswith("The request body is not valid JSON (line 1, column 10)")
    assert "Expecting" not in raised.value.message


def test_deeply_nested_json_rejected() -> None:
    text = "[" * 5000 + "]" * 5000
    with pytest.raises(MalformedBodyError):
        decode_body("application/json", text, is_base64_encoded=False)


def test_too_many_form_fields_rejected() -> None:
    text = "&".join(f"f{index}=x" for index in range(60))
    with pytest.raises(MalformedBodyError) as raised:
        decode_body(FORM_MEDIA_TYPE, text, is_base64_encoded=False)
    assert "fields" in raised.value.message


def test_repeated_form_field_names_the_field() -> None:
    with pytest.raises(FormValidationError) as raised:
        decode_body(FORM_MEDIA_TYPE, "phone=1&phone=2&zip=75201", is_base64_encoded=False)
    assert [error.field for error in raised.value.errors] == ["phone"]
    assert "2 times" in raised.value.errors[0].message


def test_byte_order_mark_ignored() -> None:
    body = decode_body("application/json", '\ufeff{"a": "b"}', is_base64_encoded=False)
    assert body.fields == {"a": "b"}
