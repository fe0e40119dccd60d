"""Ask-for-ZIP numbers: the gather, one retry, the default ZIP, and the placeholder lead."""

from leadline.calls import paths
from tests.support.calls import (
    COWTOWN_PHONE,
    DFW_NUMBER,
    LONE_STAR_PHONE,
    VoiceWebhooks,
    all_leads,
    call_params,
    new_call_sid,
    stored_lead,
    url,
)


def enter_zip(webhooks: VoiceWebhooks, path: str, call_sid: str, digits: str):  # type: ignore[no-untyped-def]
    return webhooks.post(path, call_params(call_sid, DFW_NUMBER, Digits=digits))


def test_ask_zip_number_gathers_five_digits(webhooks: VoiceWebhooks) -> None:
    response = webhooks.call(new_call_sid(), DFW_NUMBER)

    assert response.verbs() == ["Say", "Gather", "Redirect"]
    gather = response.find("Gather")
    assert gather.get("numDigits") == "5"
    assert gather.get("action") == url(paths.ZIP)
    assert gather.get("actionOnEmptyResult") == "true"
    assert "DFW Roof Help" in (response.find("Gather/Say").text or "")
    assert response.find("Redirect").text == url(paths.ZIP)


def test_ask_zip_number_stores_a_placeholder(webhooks: VoiceWebhooks) -> None:
    # A caller who hangs up during the prompt is still a lead: unassigned, ZIP pending.
    call_sid = new_call_sid()

    webhooks.call(call_sid, DFW_NUMBER)

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip_source"] == "pending"
    assert "zip" not in lead
    assert lead["contractor_id"] == "UNASSIGNED"
    assert lead["assignment"] == "unassigned"
    assert lead["unassigned_reason"] == "no_zip"
    assert lead["call_result"] == "pending"
    assert lead["trade"] == "roofing"
    assert lead["site"] == "DFW Roof Help"
    assert "route_action" not in lead


def test_entered_zip_routes_to_its_owner(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)

    response = enter_zip(webhooks, paths.ZIP, call_sid, "75204")

    assert response.verbs() == ["Dial"]
    assert response.find("Dial/Number").text == LONE_STAR_PHONE
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip"] == "75204"
    assert lead["zip_source"] == "caller"
    assert lead["contractor_id"] == "lone-star-roofing"
    assert lead["assignment"] == "assigned"
    assert "unassigned_reason" not in lead
    assert lead["route_action"] == "forward"
    assert lead["received_at"] == "2026-12-02T16:00:00.000Z"
    assert lead["twiml"] == response.body


def test_invalid_first_entry_asks_again(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)

    response = enter_zip(webhooks, paths.ZIP, call_sid, "752")

    assert response.verbs() == ["Gather", "Redirect"]
    assert response.find("Gather").get("action") == url(paths.ZIP_RETRY)
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip_source"] == "pending"


def test_no_digits_twice_uses_the_default_zip(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)
    retry = enter_zip(webhooks, paths.ZIP, call_sid, "")

    response = enter_zip(webhooks, paths.ZIP_RETRY, call_sid, "")

    assert retry.find("Gather").get("action") == url(paths.ZIP_RETRY)
    assert response.find("Dial/Number").text == COWTOWN_PHONE
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip"] == "76102"
    assert lead["zip_source"] == "default"
    assert lead["contractor_id"] == "cowtown-roofing"


def test_redirect_without_digits_asks_again(webhooks: VoiceWebhooks) -> None:
    # The <Redirect> after the gather posts the call's parameters with no Digits at all.
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)

    response = webhooks.post(paths.ZIP, call_params(call_sid, DFW_NUMBER))

    assert response.find("Gather").get("action") == url(paths.ZIP_RETRY)


def test_valid_second_entry_routes(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)
    enter_zip(webhooks, paths.ZIP, call_sid, "1")

    response = enter_zip(webhooks, paths.ZIP_RETRY, call_sid, "76102")

    assert response.find("Dial/Number").text == COWTOWN_PHONE
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip_source"] == "caller"


def test_entered_zip_nobody_owns_goes_to_the_agency(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)

    response = enter_zip(webhooks, paths.ZIP, call_sid, "10001")

    assert response.find("Dial/Number").text == "+15125550199"
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip"] == "10001"
    assert lead["unassigned_reason"] == "no_route"


def test_retried_zip_webhook_returns_the_same_twiml(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)
    first = enter_zip(webhooks, paths.ZIP, call_sid, "75204")

    second = enter_zip(webhooks, paths.ZIP, call_sid, "76102")

    assert second.body == first.body
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip"] == "75204"
    assert len(all_leads()) == 1


def test_retried_voice_webhook_repeats_the_gather(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    first = webhooks.call(call_sid, DFW_NUMBER)

    second = webhooks.call(call_sid, DFW_NUMBER)

    assert second.body == first.body
    assert len(all_leads()) == 1


def test_zip_step_without_placeholder_creates_the_lead(webhooks: VoiceWebhooks) -> None:
    # The voice webhook's write may have gone to the fallback queue; the ZIP step still stores.
    call_sid = new_call_sid()

    response = enter_zip(webhooks, paths.ZIP, call_sid, "75204")

    assert response.find("Dial/Number").text == LONE_STAR_PHONE
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["zip_source"] == "caller"
    assert lead["channel"] == "call"
