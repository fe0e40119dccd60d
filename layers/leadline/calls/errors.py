"""Exceptions of the call flow. The inbound_call handler turns each into a TwiML response."""

from leadline.errors import LeadlineError


class WebhookRejectedError(LeadlineError):
    """A request failed Twilio signature validation, so nothing may be written for it.

    ``reason`` is a short constant for logs and metrics: ``missing_signature``,
    ``invalid_signature``, ``missing_auth_token`` or ``undecodable_body``.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"Twilio webhook rejected: {reason}")


class InvalidWebhookError(LeadlineError):
    """A signed request lacks a parameter the route needs, or has one of the wrong type.

    ``fields`` names the parameters; their values are not kept because they may be phone numbers.
    """

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(f"invalid Twilio parameter(s): {', '.join(fields)}")
