"""No phone number reaches a log line, whatever path a call takes."""

import re

import pytest

from leadline.calls import paths
from leadline.clock import CLOCK_OVERRIDE
from tests.support.calls import (
    AFTER_HOURS,
    AGENCY_FALLBACK,
    BAY_STATE_PHONE,
    BOSTON_NUMBER,
    CALLER,
    COWTOWN_PHONE,
    DALLAS_NUMBER,
    DFW_NUMBER,
    HOUSTON_NUMBER,
    LONE_STAR_PHONE,
    LONE_STAR_SMS,
    VoiceWebhooks,
    call_params,
    captured_logs,
    dynamodb_failing,
    log_records,
    new_call_sid,
)

PHONES = [
    CALLER,
    DALLAS_NUMBER,
    DFW_NUMBER,
    HOUSTON_NUMBER,
    BOSTON_NUMBER,
    AGENCY_FALLBACK,
    LONE_STAR_PHONE,
    LONE_STAR_SMS,
    COWTOWN_PHONE,
    BAY_STATE_PHONE,
    "+19725550100",
]


def assert_no_phone_numbers(text: str) -> None:
    for phone in PHONES:
        national = phone.removeprefix("+1")
        assert national not in text, f"{phone} appears in the logs"
    # Any other run of 10 digits would be a phone number in some format. Call and recording SIDs,
    # request ids (UUIDs, whose last group can be all digits) and the local stand-in's AWS account
    # id (in function_arn) are the only long digit runs.
    uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    without_ids = re.sub(rf"(CA|RE)[0-9a-f]{{32}}|{uuid}|:123456789012:", "", text)
    assert re.search(r"\d{10}", without_ids) is None


def test_call_logs_have_no_phone_numbers(webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch) -> None:
    with captured_logs() as logs:
        answered = new_call_sid()
        webhooks.call(answered, DALLAS_NUMBER)
        webhooks.leg(paths.WHISPER, answered, new_call_sid())
        webhooks.leg(paths.WHISPER_ACCEPT, answered, new_call_sid(), Digits="1")
        webhooks.leg(paths.STATUS, answered, new_call_sid(), CallStatus="ringing")
        webhooks.dial_result(answered, DALLAS_NUMBER, "completed", duration=75)

        missed = new_call_sid()
        webhooks.call(missed, DALLAS_NUMBER)
        webhooks.dial_result(missed, DALLAS_NUMBER, "no-answer")
        webhooks.post(paths.VOICEMAIL, call_params(missed, DALLAS_NUMBER, RecordingDuration="9"))
        webhooks.post(
            paths.RECORDING,
            [
                ("CallSid", missed),
                ("RecordingSid", "RE" + "2" * 32),
                ("RecordingStatus", "completed"),
                ("RecordingUrl", "https://api.twilio.com/rec/RE" + "2" * 32),
                ("RecordingSource", "RecordVerb"),
            ],
        )

        asked = new_call_sid()
        webhooks.call(asked, DFW_NUMBER)
        webhooks.post(paths.ZIP, call_params(asked, DFW_NUMBER, Digits="76102"))

        webhooks.call(new_call_sid(), HOUSTON_NUMBER, caller="anonymous")
        webhooks.call(new_call_sid(), "+19725550100")
        webhooks.post(paths.VOICE, call_params(new_call_sid(), DALLAS_NUMBER), signature="")
        webhooks.post(paths.VOICE, [("From", CALLER), ("To", DALLAS_NUMBER)])
        with dynamodb_failing(("PutItem",)):
            webhooks.call(new_call_sid(), DALLAS_NUMBER)

        monkeypatch.setenv(CLOCK_OVERRIDE, AFTER_HOURS)
        webhooks.call(new_call_sid(), BOSTON_NUMBER)

    records = log_records(logs)
    assert len(records) > 10
    assert_no_phone_numbers(logs.getvalue())
