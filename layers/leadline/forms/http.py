"""The HTTP edge of the form flow: API Gateway events in, responses out, errors mapped in one place.

Responses: 201 with the lead id for JSON, 303 to the site's thank-you page for an HTML form, and
for rejected requests a JSON body ``{"message": ..., "errors": [{"field": ..., "message": ...}]}``
with the status in ``STATUS_BY_ERROR``. No response contains exception text or a stack trace.
"""

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel

from leadline.forms import sites
from leadline.forms.body import FORM_MEDIA_TYPE, JSON_MEDIA_TYPE, MAX_BODY_BYTES
from leadline.forms.errors import (
    BodyTooLargeError,
    DisallowedOriginError,
    FormRequestError,
    FormValidationError,
    MalformedBodyError,
    UnsupportedMediaTypeError,
)
from leadline.forms.model import LeadForm
from leadline.forms.submit import FormAccepted, FormRequest

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
PREFLIGHT_MAX_AGE_SECONDS = 600

STATUS_BY_ERROR: dict[type[FormRequestError], int] = {
    MalformedBodyError: 400,
    DisallowedOriginError: 403,
    BodyTooLargeError: 413,
    UnsupportedMediaTypeError: 415,
    FormValidationError: 422,
}

RECEIVED_MESSAGE = "Thank you. Your request was received."
PENDING_MESSAGE = (
    "Your request was saved, but the contractor could not be notified yet. "
    "Please submit the form again in a few minutes."
)
NOT_FOUND_MESSAGE = "Not found: this API has POST /leads (and OPTIONS /leads for CORS) only."
INTERNAL_ERROR_MESSAGE = "The request could not be processed because of an internal error. Please try again."


class LeadReceived(BaseModel):
    """The body of the 201 response to a JSON submit. A duplicate gets the first submit's lead id."""

    lead_id: str
    message: str


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """The body of every 4xx and 5xx response."""

    message: str
    errors: list[ErrorDetail]


def form_request(event: APIGatewayProxyEvent) -> FormRequest:
    """Return the parts of an API Gateway REST event that a submit uses (headers in any case)."""
    headers = event.headers
    return FormRequest(
        content_type=headers.get("content-type"),
        body=event.body,
        is_base64_encoded=bool(event.is_base64_encoded),
        source_ip=event.request_context.identity.source_ip,
        user_agent=headers.get("user-agent"),
        referer=headers.get("referer"),
        origin=headers.get("origin"),
    )


def cors_headers(origin: str | None) -> dict[str, str]:
    """Return the CORS headers for a response to ``origin``, which a site must list to be allowed."""
    headers = {"Vary": "Origin"}
    try:
        allowed = sites.current().is_allowed_origin(origin)
    except (BotoCoreError, ClientError, sites.AgencyNotConfiguredError):
        # A response about a failure must still go out, so it goes without CORS headers.
        allowed = False
    if allowed and origin is not None:
        headers["Access-Control-Allow-Origin"] = origin.strip()
    return headers


def _json(status: int, body: dict[str, Any], origin: str | None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=JSON_CONTENT_TYPE,
        body=json.dumps(body, ensure_ascii=False),
        headers={"Cache-Control": "no-store", **cors_headers(origin)},
    )


def accepted_response(result: FormAccepted, origin: str | None) -> Response[str]:
    if result.is_html_form:
        return Response(
            status_code=303,
            body="",
            headers={"Location": result.thank_you_url, "Cache-Control": "no-store", **cors_headers(origin)},
        )
    body = LeadReceived(lead_id=result.lead_id, message=RECEIVED_MESSAGE)
    return _json(201, body.model_dump(), origin)


def error_response(error: FormRequestError, origin: str | None) -> Response[str]:
    status = next(code for kind, code in STATUS_BY_ERROR.items() if isinstance(error, kind))
    body = ErrorBody(
        message=error.message,
        errors=[ErrorDetail(field=item.field, message=item.message) for item in error.errors],
    )
    return _json(status, body.model_dump(), origin)


def pending_response(origin: str | None) -> Response[str]:
    return _json(503, ErrorBody(message=PENDING_MESSAGE, errors=[]).model_dump(), origin)


def not_found_response(origin: str | None) -> Response[str]:
    return _json(404, ErrorBody(message=NOT_FOUND_MESSAGE, errors=[]).model_dump(), origin)


def internal_error_response(origin: str | None) -> Response[str]:
    return _json(500, ErrorBody(message=INTERNAL_ERROR_MESSAGE, errors=[]).model_dump(), origin)


def preflight_response(origin: str | None) -> Response[str]:
    """Return the 204 response to a site's CORS preflight, else raise DisallowedOriginError (403)."""
    headers = cors_headers(origin)
    if "Access-Control-Allow-Origin" not in headers:
        origin_text = origin or "missing"
        raise DisallowedOriginError(
            f"Origin {origin_text} may not post leads; add it to a site's origins in the agency config.",
        )
    headers.update({
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_SECONDS),
    })
    return Response(status_code=204, body="", headers=headers)


# OpenAPI: the route reads the body itself (both media types, honeypot before validation), so
# Powertools cannot derive the request body from a parameter and it is declared here.
_FORM_SCHEMA = LeadForm.model_json_schema()
REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": (
        f"The form fields, at most {MAX_BODY_BYTES} bytes of UTF-8. An HTML form posts them "
        "URL-encoded (its default); scripts may post the same fields as one JSON object."
    ),
    "content": {
        JSON_MEDIA_TYPE: {"schema": _FORM_SCHEMA},
        FORM_MEDIA_TYPE: {"schema": _FORM_SCHEMA},
    },
}

_ERROR_CONTENT: dict[str, Any] = {JSON_MEDIA_TYPE: {"model": ErrorBody}}
SUBMIT_RESPONSES: dict[int, Any] = {
    201: {
        "description": "JSON submit stored, a duplicate of an earlier one, or a filled honeypot.",
        "content": {JSON_MEDIA_TYPE: {"model": LeadReceived}},
    },
    303: {
        "description": "HTML form submit accepted: the browser goes to the site's thank-you page.",
        "headers": {"Location": {"description": "The site's thank_you_url.", "schema": {"type": "string"}}},
        "content": {},
    },
    400: {"description": "Empty body, or a body that cannot be decoded.", "content": _ERROR_CONTENT},
    413: {"description": f"Body larger than {MAX_BODY_BYTES} bytes.", "content": _ERROR_CONTENT},
    415: {
        "description": "Content-Type not JSON or URL-encoded form data, or not UTF-8.",
        "content": _ERROR_CONTENT,
    },
    422: {"description": "Fields missing or invalid; one entry per field.", "content": _ERROR_CONTENT},
    500: {"description": "Internal error; nothing the sender can fix.", "content": _ERROR_CONTENT},
    503: {
        "description": "Lead stored, but notifications could not be sent or queued; submit again later.",
        "content": _ERROR_CONTENT,
    },
}
