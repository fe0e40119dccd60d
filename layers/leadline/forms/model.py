"""The fields of a form lead, validated with pydantic.

Every error names its field and explains how to fix it. Text is kept exactly as sent, apart from
spaces trimmed at both ends: accents and emoji are stored as they arrive, without Unicode
normalisation, and lengths count code points.
"""

import re
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from leadline.forms.errors import FieldError, FormValidationError
from leadline.values import TRADES, parse_phone, parse_trade, parse_zip

MAX_SITE = 120
MAX_NAME = 100
MAX_EMAIL = 254
MAX_MESSAGE = 2000
MAX_PHONE_TEXT = 40
MAX_ZIP_TEXT = 10
MAX_SERVICE_TYPE = 40
MAX_DISCLOSURE_VERSION = 40
MAX_PAGE_URL = 2000

# The hidden field that people never see and bots fill in.
HONEYPOT_FIELD = "website"

CONSENT_YES = frozenset({"true", "on", "yes", "1"})
CONSENT_NO = frozenset({"false", "off", "no", "0"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SERVICE_TYPE = re.compile(r"^[a-z][a-z0-9_]+$")
_DISCLOSURE_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_PAGE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)

# Hints for a missing field, shown after "<field> is required".
_MISSING_HINTS = {
    "site": "send the site's name exactly as in the agency config, e.g. \"Dallas Roof Pros\"",
    "trade": f"send one of: {', '.join(TRADES)}",
    "zip": 'send the 5-digit ZIP code as a string, e.g. "75201"',
    "phone": 'send the phone number, e.g. "(214) 555-0123" or "+12145550123"',
    "name": "send the homeowner's name",
    "consent": "the homeowner must agree to be contacted (tick the consent box)",
    "disclosure_version": 'send the version of the consent text the homeowner saw, e.g. "2026-11-01"',
    "page_url": "send the address of the page the form is on (a hidden page_url field)",
}


def _text(value: object, *, field: str, max_length: int, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{field} must be a string")
    text = value.strip()
    if not text:
        raise ValueError(f"{field} is required and cannot be blank")
    if len(text) > max_length:
        raise ValueError(f"{field} is {len(text)} characters long; the maximum is {max_length}")
    if multiline and _CONTROL_EXCEPT_LINES.search(text):
        raise ValueError(f"{field} contains control characters; only line breaks and tabs are allowed")
    if not multiline and _CONTROL.search(text):
        raise ValueError(f"{field} contains control characters or line breaks; send one line of plain text")
    return text


def _optional(validate: Callable[[object], object]) -> Callable[[object], object]:
    """Treat a missing, null or blank value as absent, because HTML forms send empty fields."""

    def validate_optional(value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return validate(value)

    return validate_optional


def _trade(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"trade must be a string, one of: {', '.join(TRADES)}")
    return parse_trade(value)


def _zip(value: object) -> str:
    if isinstance(value, str) and len(value) > MAX_ZIP_TEXT:
        raise ValueError(f"ZIP is {len(value)} characters long; send 5 digits or ZIP+4 (12345-6789)")
    return parse_zip(value, allow_plus4=True)


def _phone(value: object) -> str:
    if isinstance(value, str) and len(value) > MAX_PHONE_TEXT:
        raise ValueError(f"phone is {len(value)} characters long; the maximum is {MAX_PHONE_TEXT}")
    return parse_phone(value)


def _email(value: object) -> str:
    email = _text(value, field="email", max_length=MAX_EMAIL)
    if not _EMAIL.match(email):
        raise ValueError(f"email {email!r} is not a valid address; write it like name@example.com")
    return email


def _service_type(value: object) -> str:
    slug = _text(value, field="service_type", max_length=MAX_SERVICE_TYPE)
    if not _SERVICE_TYPE.match(slug):
        raise ValueError(
            f"service_type {slug!r} is invalid; use lowercase letters, digits and underscores, "
            "e.g. roof_replacement"
        )
    return slug


def _ownership(value: object) -> str:
    text = _text(value, field="ownership", max_length=10).lower()
    if text not in ("owner", "renter"):
        raise ValueError('ownership must be "owner" or "renter"')
    return text


def _consent(value: object) -> bool:
    if value is True or (isinstance(value, str) and value.strip().lower() in CONSENT_YES):
        return True
    if value is False or (isinstance(value, str) and value.strip().lower() in CONSENT_NO | {""}):
        raise ValueError("consent was not given; the homeowner must agree to be contacted to submit")
    raise ValueError('consent must be true (JSON) or a ticked checkbox ("on" or "yes" in a form)')


def _disclosure_version(value: object) -> str:
    version = _text(value, field="disclosure_version", max_length=MAX_DISCLOSURE_VERSION)
    if not _DISCLOSURE_VERSION.match(version):
        raise ValueError(
            f"disclosure_version {version!r} is invalid; use letters, digits, dots, dashes or colons, "
            'e.g. "2026-11-01"'
        )
    return version


def _page_url(value: object) -> str:
    url = _text(value, field="page_url", max_length=MAX_PAGE_URL)
    if not _PAGE_URL.match(url):
        raise ValueError(f"page_url {url!r} is invalid; send the page's full http(s) address")
    return url


SiteName = Annotated[str, BeforeValidator(partial(_text, field="site", max_length=MAX_SITE))]
Trade = Annotated[str, BeforeValidator(_trade)]
Zip = Annotated[str, BeforeValidator(_zip)]
Phone = Annotated[str, BeforeValidator(_phone)]
Name = Annotated[str, BeforeValidator(partial(_text, field="name", max_length=MAX_NAME))]
Email = Annotated[str | None, BeforeValidator(_optional(_email))]
Message = Annotated[
    str | None,
    BeforeValidator(_optional(partial(_text, field="message", max_length=MAX_MESSAGE, multiline=True))),
]
ServiceType = Annotated[str | None, BeforeValidator(_optional(_service_type))]
Ownership = Annotated[Literal["owner", "renter"] | None, BeforeValidator(_optional(_ownership))]
Consent = Annotated[bool, BeforeValidator(_consent)]
DisclosureVersion = Annotated[str, BeforeValidator(_disclosure_version)]
PageUrl = Annotated[str, BeforeValidator(_page_url)]


class LeadForm(BaseModel):
    """The fields a site form sends. Unknown fields (a submit button's name, say) are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, title="LeadForm")

    site: SiteName = Field(
        max_length=MAX_SITE,
        description="The site's name as in the agency config; it picks the thank-you page.",
    )
    trade: Trade = Field(description="The site's trade.", json_schema_extra={"enum": list(TRADES)})
    zip: Zip = Field(
        description='A string: 5 digits, or ZIP+4 ("75201-1234"), which is stored as its 5 digits. '
        "A JSON number is rejected.",
    )
    phone: Phone = Field(
        description="US numbers in any common format, other countries in E.164; stored in E.164.",
        examples=["(214) 555-0123", "+442079460958"],
    )
    name: Name = Field(max_length=MAX_NAME)
    email: Email = Field(default=None, max_length=MAX_EMAIL)
    message: Message = Field(default=None, max_length=MAX_MESSAGE)
    service_type: ServiceType = Field(
        default=None, max_length=MAX_SERVICE_TYPE, description="A slug such as roof_replacement."
    )
    ownership: Ownership = None
    consent: Consent = Field(
        description='Must be true. An HTML checkbox sends "on" (or its value attribute, e.g. "yes").'
    )
    disclosure_version: DisclosureVersion = Field(
        max_length=MAX_DISCLOSURE_VERSION, description="The version of the consent text the homeowner saw."
    )
    page_url: PageUrl = Field(
        max_length=MAX_PAGE_URL,
        description="The page the form is on. When missing, the Referer header is used.",
    )
    website: str | None = Field(
        default=None,
        description="Honeypot: hide this field from people. A submit that fills it gets the normal "
        "success response and is not stored.",
    )


def validate_form(fields: dict[str, object]) -> LeadForm:
    """Return the validated form, or raise FormValidationError with one error per bad field."""
    try:
        return LeadForm.model_validate(fields)
    except ValidationError as error:
        details = error.errors(include_url=False, include_input=False)
        problems = [_field_error(dict(detail)) for detail in details]
        raise FormValidationError(problems) from None


def _field_error(detail: dict[str, Any]) -> FieldError:
    location = detail.get("loc") or ("body",)
    field = str(location[0])
    kind = detail.get("type", "")
    if kind == "missing":
        hint = _MISSING_HINTS.get(field)
        return FieldError(field, f"{field} is required; {hint}" if hint else f"{field} is required")
    if kind == "value_error":
        return FieldError(field, str(detail.get("msg", "")).removeprefix("Value error, "))
    if kind == "string_type":
        return FieldError(field, f"{field} must be a string")
    if kind == "string_too_long":
        limit = detail["ctx"]["max_length"]
        return FieldError(field, f"{field} is too long; the maximum is {limit} characters")
    return FieldError(field, f"{field} is invalid")
