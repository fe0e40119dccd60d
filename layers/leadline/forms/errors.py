"""Errors of the form flow. ``leadline.forms.http`` maps each one to its HTTP status."""

from dataclasses import dataclass

from leadline.errors import LeadlineError


@dataclass(frozen=True)
class FieldError:
    """One problem with one request field, worded for the person who fills in the form."""

    field: str
    message: str


class FormRequestError(LeadlineError):
    """A submit that Leadline rejects. ``message`` and ``errors`` are safe to show the sender."""

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        self.message = message
        self.errors = errors or []
        super().__init__(message)


class UnsupportedMediaTypeError(FormRequestError):
    """The Content-Type is missing, not JSON or URL-encoded form data, or not UTF-8."""


class BodyTooLargeError(FormRequestError):
    """The body is larger than ``body.MAX_BODY_BYTES``."""


class MalformedBodyError(FormRequestError):
    """The body is empty or cannot be decoded as its Content-Type states."""


class FormValidationError(FormRequestError):
    """One or more fields are missing or invalid; ``errors`` has one entry per field."""

    def __init__(self, errors: list[FieldError]) -> None:
        if len(errors) == 1:
            message = "1 field is missing or invalid; fix it and submit again."
        else:
            message = f"{len(errors)} fields are missing or invalid; fix them and submit again."
        super().__init__(message, errors)


class DisallowedOriginError(FormRequestError):
    """A CORS preflight came from an origin that no site in the agency config lists."""


class NotificationsPendingError(LeadlineError):
    """A stored lead still has notifications to send, and no retry could be scheduled.

    The message names the lead id and the channels only, so it is safe to log.
    """

    def __init__(self, lead_id: str, channels: list[str]) -> None:
        self.lead_id = lead_id
        self.channels = channels
        super().__init__(f"lead {lead_id}: notification(s) not sent yet: {', '.join(channels)}")
