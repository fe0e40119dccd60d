"""The voice webhook: routing, business hours, fallbacks, the stored lead and retries."""

import hashlib

import pytest

from leadline.calls import paths, settings
from leadline.clock import CLOCK_OVERRIDE
from leadline.storage import config_tables
from tests.support.calls import (
    AFTER_HOURS,
    AGENCY_FALLBACK,
    BOSTON_NUMBER,
    CALLER,
    DALLAS_NUMBER,
    DENVER_NUMBER,
    HOUSTON_NUMBER,
    LONE_STAR_PHONE,
    VoiceWebhooks,
    all_leads,
    counting_dynamodb_calls,
    new_call_sid,
    stored_lead,
    url,
)


def test_fixed_zip_call_rings_the_owner(webhooks: VoiceWebhooks) -> None:
    response = webhooks.call(new_call_sid(), DALLAS_NUMBER)

    assert response.status == 200
    assert response.verbs() == ["Say", "Dial"]
    assert "recorded" in (response.find("Say").text or "")
    dial = response.find("Dial")
    assert dial.get("answerOnBridge") == "true"
    assert dial.get("timeout") == "20"
    assert dial.get("action") == url(paths.DIAL_RESULT)
    assert dial.get("record") == "record-from-answer-dual"
    assert dial.get("recordingStatusCallback") == url(paths.RECORDING)
    number = response.find("Dial/Number")
    assert number.text == LONE_STAR_PHONE
    assert number.get("url") == url(paths.WHISPER)
    assert number.get("statusCallback") == url(paths.STATUS)
    assert number.get("statusCallbackEvent") == "ringing answered completed"


def test_twilio_urls_carry_no_query_string(webhooks: VoiceWebhooks) -> None:
    response = webhooks.call(new_call_sid(), DALLAS_NUMBER)

    for element in response.root.iter():
        for name, value in element.attrib.items():
            if value.startswith("http"):
                assert "?" not in value, f"{element.tag}.{name} = {value}"


def test_fixed_zip_call_stores_the_lead(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()

    webhooks.call(call_sid, DALLAS_NUMBER)

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["channel"] == "call"
    assert lead["received_at"] == "2026-12-02T16:00:00.000Z"
    assert lead["trade"] == "roofing"
    assert lead["site"] == "Dallas Roof Pros"
    assert lead["tracking_number"] == DALLAS_NUMBER
    assert lead["zip"] == "75201"
    assert lead["zip_source"] == "fixed"
    assert lead["contractor_id"] == "lone-star-roofing"
    assert lead["contract_id"] == "lone-star-dallas-roofing"
    assert lead["assignment"] == "assigned"
    assert "unassigned_reason" not in lead
    assert lead["caller_phone"] == CALLER
    assert lead["homeowner_key"] == hashlib.sha256(f"roofing#{CALLER}".encode()).hexdigest()
    assert lead["call_result"] == "pending"
    assert lead["route_action"] == "forward"
    assert lead["after_hours"] is False


def test_number_without_recording_has_no_disclosure(webhooks: VoiceWebhooks) -> None:
    response = webhooks.call(new_call_sid(), BOSTON_NUMBER)

    assert response.verbs() == ["Dial"]
    assert response.find("Dial").get("record") is None


def test_after_hours_forward_contractor_still_rings(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CLOCK_OVERRIDE, AFTER_HOURS)
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.find("Dial/Number").text == LONE_STAR_PHONE
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["after_hours"] is True
    assert lead["route_action"] == "forward"
    assert lead["call_result"] == "pending"


def test_after_hours_voicemail_contractor_records(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CLOCK_OVERRIDE, AFTER_HOURS)
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, BOSTON_NUMBER)

    assert response.verbs() == ["Say", "Record"]
    assert "closed" in (response.find("Say").text or "")
    record = response.find("Record")
    assert record.get("action") == url(paths.VOICEMAIL)
    assert record.get("recordingStatusCallback") == url(paths.RECORDING)
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["contractor_id"] == "bay-state-hvac"
    assert lead["route_action"] == "voicemail"
    assert lead["after_hours"] is True
    assert lead["call_result"] == "missed"


def test_closed_day_counts_as_after_hours(webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sunday 6 December 2026, noon in Boston: Bay State has no Sunday hours.
    monkeypatch.setenv(CLOCK_OVERRIDE, "2026-12-06T17:00:00Z")
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, BOSTON_NUMBER)

    assert response.verbs() == ["Say", "Record"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["after_hours"] is True


def test_unowned_zip_dials_the_agency(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, HOUSTON_NUMBER)

    assert response.find("Dial/Number").text == AGENCY_FALLBACK
    assert response.find("Dial").get("action") == url(paths.DIAL_RESULT)
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["contractor_id"] == "UNASSIGNED"
    assert lead["assignment"] == "unassigned"
    assert lead["unassigned_reason"] == "no_route"
    assert lead["route_action"] == "fallback"
    assert lead["zip"] == "77002"
    assert lead["trade"] == "roofing"
    assert "contract_id" not in lead


def test_paused_contractor_dials_the_agency(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, DENVER_NUMBER)

    assert response.find("Dial/Number").text == AGENCY_FALLBACK
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["contractor_id"] == "UNASSIGNED"
    assert lead["unassigned_reason"] == "paused"
    assert lead["route_action"] == "fallback"


def test_unknown_number_dials_the_agency(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, "+19725550100")

    assert response.find("Dial/Number").text == AGENCY_FALLBACK
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["unassigned_reason"] == "unknown_number"
    assert lead["tracking_number"] == "+19725550100"
    assert "trade" not in lead
    assert "zip" not in lead
    assert "homeowner_key" not in lead
    assert lead["caller_phone"] == CALLER


def test_unknown_number_without_agency_setting_uses_env(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_tables.delete_record("settings", "agency")
    monkeypatch.setenv(settings.FALLBACK_NUMBER, "+15125550177")
    settings.call_settings.cache_clear()

    response = webhooks.call(new_call_sid(), "+19725550100")

    assert response.find("Dial/Number").text == "+15125550177"


def test_no_fallback_number_anywhere_takes_voicemail(webhooks: VoiceWebhooks) -> None:
    config_tables.delete_record("settings", "agency")
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, "+19725550100")

    assert response.verbs() == ["Say", "Record"]
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["route_action"] == "voicemail"
    assert lead["unassigned_reason"] == "unknown_number"


@pytest.mark.parametrize("caller_id", ["anonymous", "+266696687", "", "Restricted", "UNKNOWN"])
def test_withheld_caller_id_is_forwarded_without_a_key(webhooks: VoiceWebhooks, caller_id: str) -> None:
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, DALLAS_NUMBER, caller=caller_id)

    assert response.find("Dial/Number").text == LONE_STAR_PHONE
    lead = stored_lead(call_sid)
    assert lead is not None
    assert "caller_phone" not in lead
    assert "homeowner_key" not in lead
    assert lead["contractor_id"] == "lone-star-roofing"


def test_retried_webhook_returns_the_same_twiml(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    first = webhooks.call(call_sid, DALLAS_NUMBER)

    second = webhooks.call(call_sid, DALLAS_NUMBER)

    assert second.status == 200
    assert second.body == first.body
    assert len(all_leads()) == 1


def test_retry_after_closing_time_keeps_the_first_answer(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_sid = new_call_sid()
    first = webhooks.call(call_sid, BOSTON_NUMBER)
    monkeypatch.setenv(CLOCK_OVERRIDE, AFTER_HOURS)

    second = webhooks.call(call_sid, BOSTON_NUMBER)

    assert second.body == first.body
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["received_at"] == "2026-12-02T16:00:00.000Z"
    assert lead["route_action"] == "forward"


def test_warm_call_makes_one_read_and_one_write(webhooks: VoiceWebhooks) -> None:
    webhooks.call(new_call_sid(), DALLAS_NUMBER)

    with counting_dynamodb_calls() as operations:
        webhooks.call(new_call_sid(), DALLAS_NUMBER)

    assert operations == ["GetItem", "PutItem"]


def test_cold_call_reads_the_number_once(webhooks: VoiceWebhooks) -> None:
    with counting_dynamodb_calls() as operations:
        webhooks.call(new_call_sid(), DALLAS_NUMBER)

    assert operations == ["GetItem", "GetItem", "PutItem"]


def test_paused_route_is_seen_on_the_next_call(webhooks: VoiceWebhooks) -> None:
    # Route items are not cached, so pausing a contractor applies to the very next call.
    webhooks.call(new_call_sid(), DALLAS_NUMBER)
    from leadline.storage import routes

    route = routes.get_route("roofing", "75201")
    assert route is not None
    config_route = {**route, "paused": True}
    routes.assign_route(config_route)
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.find("Dial/Number").text == AGENCY_FALLBACK
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["unassigned_reason"] == "paused"


def test_missing_call_sid_is_a_twiml_400(webhooks: VoiceWebhooks) -> None:
    response = webhooks.post(paths.VOICE, [("To", DALLAS_NUMBER), ("From", CALLER)])

    assert response.status == 400
    assert response.content_type == "text/xml"
    assert all_leads() == []
