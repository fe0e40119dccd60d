"""Whisper, key press, dial result, voicemail and the SMS they send."""

from pathlib import Path

import pytest

from leadline.calls import paths
from leadline.clock import CLOCK_OVERRIDE
from tests.support.calls import (
    AFTER_HOURS,
    BOSTON_NUMBER,
    CALLER,
    DALLAS_NUMBER,
    DFW_NUMBER,
    HOUSTON_NUMBER,
    LONE_STAR_SMS,
    VoiceWebhooks,
    call_params,
    new_call_sid,
    sent_sms,
    stored_lead,
    url,
)

RECORDING_URL = (
    "https://api.twilio.com/2010-04-01/Accounts/AC00/Recordings/RE0123456789abcdef0123456789abcdef"
)


def start_call(webhooks: VoiceWebhooks, to: str = DALLAS_NUMBER, caller: str = CALLER) -> str:
    call_sid = new_call_sid()
    webhooks.call(call_sid, to, caller=caller)
    return call_sid


def accept(webhooks: VoiceWebhooks, call_sid: str, digits: str = "1"):  # type: ignore[no-untyped-def]
    return webhooks.leg(paths.WHISPER_ACCEPT, call_sid, new_call_sid(), Digits=digits)


def recording(webhooks: VoiceWebhooks, call_sid: str, to: str, source: str, sid: str = "RE" + "1" * 32):  # type: ignore[no-untyped-def]
    return webhooks.post(
        paths.RECORDING,
        [
            ("AccountSid", "AC" + "0" * 32),
            ("CallSid", call_sid),
            ("RecordingSid", sid),
            ("RecordingUrl", RECORDING_URL),
            ("RecordingStatus", "completed"),
            ("RecordingDuration", "23"),
            ("RecordingChannels", "1"),
            ("RecordingSource", source),
        ],
    )


def test_whisper_names_trade_and_site(webhooks: VoiceWebhooks) -> None:
    call_sid = start_call(webhooks)

    response = webhooks.leg(paths.WHISPER, call_sid, new_call_sid())

    assert response.verbs() == ["Gather", "Hangup"]
    gather = response.find("Gather")
    assert gather.get("numDigits") == "1"
    assert gather.get("action") == url(paths.WHISPER_ACCEPT)
    assert (
        response.find("Gather/Say").text == "Exclusive roofing lead from Dallas Roof Pros, press 1 to accept."
    )


def test_whisper_for_an_unassigned_lead(webhooks: VoiceWebhooks) -> None:
    call_sid = start_call(webhooks, HOUSTON_NUMBER)

    response = webhooks.leg(paths.WHISPER, call_sid, new_call_sid())

    assert (
        response.find("Gather/Say").text
        == "Unassigned roofing lead from Houston Roof Pros, press 1 to accept."
    )


def test_whisper_for_an_unknown_call_still_asks(webhooks: VoiceWebhooks) -> None:
    response = webhooks.leg(paths.WHISPER, new_call_sid(), new_call_sid())

    assert response.verbs() == ["Gather", "Hangup"]


def test_key_press_accepts_and_connects(webhooks: VoiceWebhooks) -> None:
    call_sid = start_call(webhooks)

    response = accept(webhooks, call_sid)

    assert response.verbs() == []
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["accepted"] is True
    assert lead["accepted_at"] == "2026-12-02T16:00:00.000Z"


def test_other_key_hangs_up_the_leg(webhooks: VoiceWebhooks) -> None:
    call_sid = start_call(webhooks)

    response = accept(webhooks, call_sid, digits="2")

    assert response.verbs() == ["Hangup"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert "accepted" not in lead


def test_accepted_completed_call_is_answered(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)
    accept(webhooks, call_sid)

    response = webhooks.dial_result(call_sid, DALLAS_NUMBER, "completed", duration=184)

    assert response.verbs() == ["Hangup"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["call_result"] == "answered"
    assert lead["dial_status"] == "completed"
    assert lead["connected_seconds"] == 184
    assert sent_sms(outbox) == []


def test_voicemail_pickup_without_key_is_missed(webhooks: VoiceWebhooks, outbox: Path) -> None:
    # The contractor's voicemail box answered the leg, heard the whisper, and pressed nothing.
    call_sid = start_call(webhooks)

    response = webhooks.dial_result(call_sid, DALLAS_NUMBER, "completed", duration=31)

    assert response.verbs() == ["Say", "Record"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["call_result"] == "missed"
    assert lead["dial_status"] == "completed"
    assert "connected_seconds" not in lead
    assert [sms["to"] for sms in sent_sms(outbox)] == [LONE_STAR_SMS, CALLER]


@pytest.mark.parametrize("status", ["no-answer", "busy", "failed", "canceled"])
def test_unconnected_dial_is_missed(webhooks: VoiceWebhooks, status: str) -> None:
    call_sid = start_call(webhooks)
    accept(webhooks, call_sid)

    response = webhooks.dial_result(call_sid, DALLAS_NUMBER, status)

    assert response.verbs() == ["Say", "Record"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["call_result"] == "missed"
    assert lead["dial_status"] == status


def test_missed_call_texts_the_contractor(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)

    webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    contractor_sms = sent_sms(outbox)[0]
    assert contractor_sms["to"] == LONE_STAR_SMS
    assert contractor_sms["from"] == DALLAS_NUMBER
    assert CALLER in contractor_sms["body"]
    assert "Dallas Roof Pros" in contractor_sms["body"]
    assert "roofing" in contractor_sms["body"]
    assert "75201" in contractor_sms["body"]


def test_missed_call_texts_the_homeowner_back(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)

    webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    text_back = sent_sms(outbox)[1]
    assert text_back["to"] == CALLER
    assert text_back["from"] == DALLAS_NUMBER
    assert "Lone Star Roofing & Gutters will call you back" in text_back["body"]


def test_no_text_back_when_the_contractor_declines_it(webhooks: VoiceWebhooks, outbox: Path) -> None:
    # DFW's default ZIP belongs to Cowtown Roofing, who did not ask for text-backs.
    call_sid = start_call(webhooks, DFW_NUMBER)
    webhooks.post(paths.ZIP_RETRY, call_params(call_sid, DFW_NUMBER, Digits=""))

    webhooks.dial_result(call_sid, DFW_NUMBER, "no-answer")

    assert [sms["to"] for sms in sent_sms(outbox)] == ["+18175550101"]


def test_missed_withheld_caller_gets_no_text_back(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks, caller="anonymous")

    webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    messages = sent_sms(outbox)
    assert [sms["to"] for sms in messages] == [LONE_STAR_SMS]
    assert "number withheld" in messages[0]["body"]


def test_unassigned_missed_call_sends_no_sms(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks, HOUSTON_NUMBER)

    response = webhooks.dial_result(call_sid, HOUSTON_NUMBER, "no-answer")

    assert response.verbs() == ["Say", "Record"]
    assert sent_sms(outbox) == []


def test_retried_dial_result_texts_once(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)
    first = webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    second = webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    assert second.body == first.body
    assert len(sent_sms(outbox)) == 2


def test_retried_answered_dial_result_still_hangs_up(webhooks: VoiceWebhooks) -> None:
    call_sid = start_call(webhooks)
    accept(webhooks, call_sid)
    webhooks.dial_result(call_sid, DALLAS_NUMBER, "completed", duration=60)

    second = webhooks.dial_result(call_sid, DALLAS_NUMBER, "completed", duration=60)

    assert second.verbs() == ["Hangup"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["call_result"] == "answered"


def test_dial_result_never_turns_answered_into_missed(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)
    accept(webhooks, call_sid)
    webhooks.dial_result(call_sid, DALLAS_NUMBER, "completed", duration=60)

    webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["call_result"] == "answered"
    assert sent_sms(outbox) == []


def test_voicemail_end_marks_the_voicemail_left(webhooks: VoiceWebhooks) -> None:
    call_sid = start_call(webhooks)
    webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    response = webhooks.post(
        paths.VOICEMAIL,
        call_params(
            call_sid, DALLAS_NUMBER, RecordingUrl=RECORDING_URL, RecordingDuration="23", Digits="hangup"
        ),
    )

    assert response.verbs() == ["Say", "Hangup"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["voicemail_left"] is True


def test_voicemail_recording_texts_the_link_once(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)
    webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    recording(webhooks, call_sid, DALLAS_NUMBER, "RecordVerb")
    duplicate = recording(webhooks, call_sid, DALLAS_NUMBER, "RecordVerb")

    assert duplicate.status == 200
    assert duplicate.content_type == "text/xml"
    voicemail_sms = [sms for sms in sent_sms(outbox) if "Voicemail" in sms["body"]]
    assert len(voicemail_sms) == 1
    assert voicemail_sms[0]["to"] == LONE_STAR_SMS
    assert RECORDING_URL + ".mp3" in voicemail_sms[0]["body"]
    assert CALLER in voicemail_sms[0]["body"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["recording_url"] == RECORDING_URL
    assert lead["voicemail_left"] is True
    assert lead["voicemail_seconds"] == 23


def test_conversation_recording_is_stored_without_sms(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)
    accept(webhooks, call_sid)
    webhooks.dial_result(call_sid, DALLAS_NUMBER, "completed", duration=90)

    recording(webhooks, call_sid, DALLAS_NUMBER, "DialVerb")

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["recording_url"] == RECORDING_URL
    assert "voicemail_left" not in lead
    assert sent_sms(outbox) == []


def test_sourceless_recording_is_a_voicemail(webhooks: VoiceWebhooks, outbox: Path) -> None:
    call_sid = start_call(webhooks)
    webhooks.dial_result(call_sid, DALLAS_NUMBER, "busy")

    recording(webhooks, call_sid, DALLAS_NUMBER, "")

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["voicemail_left"] is True
    assert any("Voicemail" in sms["body"] for sms in sent_sms(outbox))


def test_after_hours_voicemail_texts_once(
    webhooks: VoiceWebhooks, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CLOCK_OVERRIDE, AFTER_HOURS)
    call_sid = start_call(webhooks, BOSTON_NUMBER)
    voicemail_params = call_params(
        call_sid, BOSTON_NUMBER, RecordingUrl=RECORDING_URL, RecordingDuration="12"
    )

    webhooks.post(paths.VOICEMAIL, voicemail_params)
    webhooks.post(paths.VOICEMAIL, voicemail_params)
    recording(webhooks, call_sid, BOSTON_NUMBER, "RecordVerb")

    bodies = [sms["body"] for sms in sent_sms(outbox) if sms["to"] == "+16175550101"]
    assert len(bodies) == 2
    assert bodies[0].startswith("After-hours call: exclusive HVAC lead from Boston HVAC Repair (ZIP 02134)")
    assert bodies[1].startswith("Voicemail from")
    text_backs = [sms for sms in sent_sms(outbox) if sms["to"] == CALLER]
    assert len(text_backs) == 1


def test_dial_result_for_unknown_call_still_offers_voicemail(webhooks: VoiceWebhooks) -> None:
    response = webhooks.dial_result(new_call_sid(), DALLAS_NUMBER, "no-answer")

    assert response.status == 200
    assert response.verbs() == ["Say", "Record"]
