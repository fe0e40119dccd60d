"""Status callbacks of the contractor's leg: late, repeated and out of order, never backwards."""

from decimal import Decimal

import pytest

from leadline.calls import paths
from tests.support.calls import DALLAS_NUMBER, VoiceWebhooks, all_leads, new_call_sid, stored_lead

RINGING = "Wed, 02 Dec 2026 16:00:02 +0000"
ANSWERED = "Wed, 02 Dec 2026 16:00:14 +0000"
COMPLETED = "Wed, 02 Dec 2026 16:03:20 +0000"


def status(webhooks: VoiceWebhooks, call_sid: str, leg_sid: str, call_status: str, timestamp: str):  # type: ignore[no-untyped-def]
    return webhooks.leg(
        paths.STATUS,
        call_sid,
        leg_sid,
        CallStatus=call_status,
        Timestamp=timestamp,
        CallbackSource="call-progress-events",
        SequenceNumber="0",
    )


@pytest.fixture
def call(webhooks: VoiceWebhooks) -> tuple[str, str]:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DALLAS_NUMBER)
    return call_sid, new_call_sid()


def test_in_order_callbacks_store_times(webhooks: VoiceWebhooks, call: tuple[str, str]) -> None:
    call_sid, leg_sid = call

    responses = [
        status(webhooks, call_sid, leg_sid, "ringing", RINGING),
        status(webhooks, call_sid, leg_sid, "in-progress", ANSWERED),
        status(webhooks, call_sid, leg_sid, "completed", COMPLETED),
    ]

    assert [response.status for response in responses] == [200, 200, 200]
    assert {response.content_type for response in responses} == {"text/xml"}
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["ringing_at"] == "2026-12-02T16:00:02.000Z"
    assert lead["answered_at"] == "2026-12-02T16:00:14.000Z"
    assert lead["completed_at"] == "2026-12-02T16:03:20.000Z"
    assert lead["seconds_to_answer"] == Decimal(12)
    assert str(lead["seconds_to_answer"]) == "12"
    assert lead["leg_status"] == "completed"


def test_reversed_callbacks_give_the_same_lead(webhooks: VoiceWebhooks, call: tuple[str, str]) -> None:
    call_sid, leg_sid = call

    status(webhooks, call_sid, leg_sid, "completed", COMPLETED)
    status(webhooks, call_sid, leg_sid, "in-progress", ANSWERED)
    status(webhooks, call_sid, leg_sid, "ringing", RINGING)

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["leg_status"] == "completed"
    assert lead["ringing_at"] == "2026-12-02T16:00:02.000Z"
    assert lead["answered_at"] == "2026-12-02T16:00:14.000Z"
    assert lead["completed_at"] == "2026-12-02T16:03:20.000Z"
    assert lead["seconds_to_answer"] == Decimal(12)


def test_completed_never_goes_back_to_ringing(webhooks: VoiceWebhooks, call: tuple[str, str]) -> None:
    call_sid, leg_sid = call
    status(webhooks, call_sid, leg_sid, "ringing", RINGING)
    status(webhooks, call_sid, leg_sid, "no-answer", COMPLETED)

    status(webhooks, call_sid, leg_sid, "ringing", RINGING)

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["leg_status"] == "no-answer"
    assert "answered_at" not in lead
    assert "seconds_to_answer" not in lead


def test_repeated_callback_keeps_the_first_time(webhooks: VoiceWebhooks, call: tuple[str, str]) -> None:
    call_sid, leg_sid = call
    status(webhooks, call_sid, leg_sid, "ringing", RINGING)

    status(webhooks, call_sid, leg_sid, "ringing", "Wed, 02 Dec 2026 16:00:09 +0000")

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["ringing_at"] == "2026-12-02T16:00:02.000Z"


def test_answered_before_ringing_still_counts(webhooks: VoiceWebhooks, call: tuple[str, str]) -> None:
    call_sid, leg_sid = call

    status(webhooks, call_sid, leg_sid, "in-progress", ANSWERED)
    status(webhooks, call_sid, leg_sid, "ringing", RINGING)
    status(webhooks, call_sid, leg_sid, "ringing", RINGING)

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["leg_status"] == "in-progress"
    assert lead["seconds_to_answer"] == Decimal(12)


def test_missing_timestamp_uses_the_clock(webhooks: VoiceWebhooks, call: tuple[str, str]) -> None:
    call_sid, leg_sid = call

    status(webhooks, call_sid, leg_sid, "ringing", "")

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["ringing_at"] == "2026-12-02T16:00:00.000Z"


def test_callback_for_unknown_call_creates_nothing(webhooks: VoiceWebhooks) -> None:
    response = status(webhooks, new_call_sid(), new_call_sid(), "ringing", RINGING)

    assert response.status == 200
    assert all_leads() == []


def test_unknown_call_status_is_a_twiml_400(webhooks: VoiceWebhooks, call: tuple[str, str]) -> None:
    call_sid, leg_sid = call

    response = status(webhooks, call_sid, leg_sid, "teleported", RINGING)

    assert response.status == 400
    assert response.content_type == "text/xml"
