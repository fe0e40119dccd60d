"""Request bodies: JSON objects or URL-encoded form data, in UTF-8, up to ``MAX_BODY_BYTES``.

API Gateway passes a body as text, or base64-encoded when its type is one of the API's binary
media types. Both arrive here as ``body`` plus ``is_base64_encoded``.
"""

import base64
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from leadline.forms.errors import (
    BodyTooLargeError,
    FieldError,
    FormValidationError,
    MalformedBodyError,
    UnsupportedMediaTypeError,
)

JSON_MEDIA_TYPE = "application/json"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"

# The largest valid submit is about 25 KB: a 2,000-character message of 4-byte UTF-8 characters is
# 8 KB, and URL encoding triples it. 32 KiB leaves room for the other fields and nothing more.
MAX_BODY_BYTES = 32 * 1024
MAX_FIELDS = 50

_UTF8_NAMES = {"utf-8", "utf8"}


@dataclass(frozen=True)
class FormBody:
    """The decoded fields of one submit and the media type they came in."""

    media_type: str
    fields: dict[str, object]

    @property
    def is_html_form(self) -> bool:
        return self.media_type == FORM_MEDIA_TYPE


def media_type_of(content_type: str | None) -> str:
    """Return the accepted media type named by a Content-Type header, or raise a 415 error."""
    media_type, _, parameters = (content_type or "").partition(";")
    media_type = media_type.strip().lower()
    if media_type not in (JSON_MEDIA_TYPE, FORM_MEDIA_TYPE):
        media_type_text = media_type or "missing"
        raise UnsupportedMediaTypeError(
            f"Content-Type {media_type_text} is not supported; send {JSON_MEDIA_TYPE} or {FORM_MEDIA_TYPE} "
            "(the default of an HTML form)."
        )
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in _UTF8_NAMES:
            raise UnsupportedMediaTypeError(
                f"charset {charset or 'empty'} is not supported; send UTF-8 "
                '(for an HTML form, set accept-charset="UTF-8").'
            )
    return media_type


def decode_body(content_type: str | None, body: str | None, *, is_base64_encoded: bool) -> FormBody:
    """Return the fields of a request body.

    Raises UnsupportedMediaTypeError (415), BodyTooLargeError (413), MalformedBodyError (400) for
    an empty or undecodable body, and FormValidationError (422) for a repeated form field.
    """
    media_type = media_type_of(content_type)
    text = _body_text(body or "", is_base64_encoded)
    if not text.strip():
        raise MalformedBodyError(
            "The request body is empty; send the form fields as JSON or URL-encoded form data."
        )
    if media_type == JSON_MEDIA_TYPE:
        return FormBody(media_type, _json_fields(text))
    return FormBody(media_type, _form_fields(text))


def _too_large(size: int) -> BodyTooLargeError:
    return BodyTooLargeError(
        f"The request body is {size} bytes; the maximum is {MAX_BODY_BYTES} bytes. Shorten the message."
    )


def _body_text(body: str, is_base64_encoded: bool) -> str:
    if is_base64_encoded:
        # Reject by the encoded length first, so an oversized body is never decoded.
        if len(body) * 3 // 4 > MAX_BODY_BYTES:
            raise _too_large(len(body) * 3 // 4)
        try:
            raw = base64.b64decode(body, validate=True)
        # binascii.Error for bad base64 characters, ValueError for non-ASCII text.
        except ValueError:
            raise MalformedBodyError(
                "The request body is marked as base64 but is not valid base64."
            ) from None
    else:
        try:
            raw = body.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedBodyError("The request body is not valid UTF-8 text.") from None
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large(len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBodyError(
            'The request body is not valid UTF-8; send UTF-8 (for an HTML form, set accept-charset="UTF-8").'
        ) from None
    return text.removeprefix("\ufeff")


def _json_fields(text: str) -> dict[str, object]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedBodyError(
            f"The request body is not valid JSON (line {error.lineno}, column {error.colno}); "
            "send one JSON object with the form fields."
        ) from None
    except RecursionError:
        raise MalformedBodyError("The JSON body is nested too deeply; send one flat JSON object.") from None
    if not isinstance(document, dict):
        raise MalformedBodyError(
            'The JSON body must be an object with the form fields, such as {"name": "...", "phone": "..."}.'
        )
    if len(document) > MAX_FIELDS:
        raise MalformedBodyError(f"The JSON body has {len(document)} fields; the maximum is {MAX_FIELDS}.")
    return document


def _form_fields(text: str) -> dict[str, object]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:
        raise MalformedBodyError(
            "A form field is not valid UTF-8 after URL decoding; send UTF-8 "
            '(for an HTML form, set accept-charset="UTF-8").'
        ) from None
    except ValueError:
        raise MalformedBodyError(
            f"The form has more than {MAX_FIELDS} fields; send only the lead's fields."
        ) from None

    fields: dict[str, object] = {}
    counts: dict[str, int] = {}
    for name, value in pairs:
        counts[name] = counts.get(name, 0) + 1
        fields[name] = value
    repeated = [
        FieldError(name, f"{name} appears {count} times; send it once.")
        for name, count in counts.items()
        if count > 1
    ]
    if repeated:
        raise FormValidationError(repeated)
    return fields
