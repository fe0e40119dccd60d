"""Twilio's webhook parameters as pydantic models, one per kind of request.

Twilio adds parameters over time, so unknown ones are ignored; a missing CallSid or a
duration that is not a number is rejected. Where a key is repeated, the first value counts
(the signature check has already covered all of them).
"""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from leadline.calls.errors import InvalidWebhookError
from leadline.calls.signature import FormParams


def _blank_as_zero(value: object) -> object:
    return 0 if value == "" else value


CallSid = Annotated[str, Field(pattern=r"^CA[0-9a-fA-F]{32}$")]
Seconds = Annotated[int, BeforeValidator(_blank_as_zero), Field(ge=0)]

# DialCallStatus values of the <Dial> action request.
DialStatus = Literal["completed", "answered", "busy", "no-answer", "failed", "canceled"]
# CallStatus values of a call leg's status callback.
LegStatus = Literal[
    "queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer", "canceled", "failed"
]


class _TwilioParams(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class CallRequest(_TwilioParams):
    """The parent call: the voice webhook and every request of its own TwiML (gathers, voicemail)."""

    call_sid: CallSid = Field(alias="CallSid")
    account_sid: str = Field(default="", alias="AccountSid")
    caller: str = Field(default="", alias="From")
    called: str = Field(default="", alias="To")
    digits: str = Field(default="", alias="Digits")


class LegRequest(_TwilioParams):
    """The contractor's leg: whisper and key press requests, which name the parent call."""

    call_sid: CallSid = Field(alias="CallSid")
    parent_call_sid: CallSid = Field(alias="ParentCallSid")
    digits: str = Field(default="", alias="Digits")


class LegStatusCallback(LegRequest):
    call_status: LegStatus = Field(alias="CallStatus")
    # RFC 2822 time of the event, such as "Wed, 02 Dec 2026 16:00:07 +0000".
    timestamp: str = Field(default="", alias="Timestamp")


class DialResult(_TwilioParams):
    call_sid: CallSid = Field(alias="CallSid")
    dial_call_status: DialStatus = Field(alias="DialCallStatus")
    dial_call_duration: Seconds = Field(default=0, alias="DialCallDuration")


class VoicemailResult(_TwilioParams):
    """The <Record> action request, sent when the homeowner's voicemail ends."""

    call_sid: CallSid = Field(alias="CallSid")
    recording_url: str = Field(default="", alias="RecordingUrl")
    recording_duration: Seconds = Field(default=0, alias="RecordingDuration")


class RecordingCallback(_TwilioParams):
    """A recording status callback. CallSid is the parent call for both voicemails and <Dial>."""

    call_sid: CallSid = Field(alias="CallSid")
    recording_sid: str = Field(default="", alias="RecordingSid")
    recording_url: str = Field(default="", alias="RecordingUrl")
    recording_status: str = Field(default="completed", alias="RecordingStatus")
    recording_duration: Seconds = Field(default=0, alias="RecordingDuration")
    # "RecordVerb" for a voicemail, "DialVerb" for a recorded conversation.
    recording_source: str = Field(default="", alias="RecordingSource")


def parse_params[Model: _TwilioParams](model: type[Model], params: FormParams) -> Model:
    """Validate form parameters into ``model``. Raises InvalidWebhookError naming the fields."""
    first_values: dict[str, str] = {}
    for key, value in params:
        first_values.setdefault(key, value)
    try:
        return model.model_validate(first_values)
    except ValidationError as error:
        fields = sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]})
        raise InvalidWebhookError(fields) from None
