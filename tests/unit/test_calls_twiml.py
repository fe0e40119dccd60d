"""TwiML documents built for calls: attributes Twilio needs and text the caller hears."""

from leadline.calls import paths, twiml
from leadline.calls.routing import fallback_plan
from leadline.calls.settings import CallSettings
from tests.support.calls import parse_twiml

SETTINGS = CallSettings(
    public_base_url="https://leads.example/live",
    local_mode=True,
    auth_token_parameter=None,
    fallback_queue_url=None,
    fallback_number=None,
)


def test_fallback_dial_has_a_whisper_and_callbacks() -> None:
    document = parse_twiml(
        twiml.route_call(
            fallback_plan("no_route", "+15125550199"), SETTINGS, site=None, record=False, disclose=False
        )
    )

    number = document.find("Dial/Number")
    assert number is not None
    assert number.get("url") == "https://leads.example/live" + paths.WHISPER


def test_dial_fallback_without_lead_has_no_urls() -> None:
    document = twiml.dial_fallback("+15125550199")

    assert "http" not in document
    assert "<Dial" in document


def test_whisper_text_for_hvac_is_spoken_as_letters() -> None:
    text = twiml.whisper_text(trade="hvac", site="Boston HVAC Repair", assigned=True)

    assert text == "Exclusive H V A C lead from Boston HVAC Repair, press 1 to accept."


def test_site_names_are_escaped() -> None:
    document = twiml.ask_for_zip(SETTINGS, site="Roofs & <Gutters>", retry=False, disclose=False)

    assert "Roofs &amp; &lt;Gutters&gt;" in document
    parse_twiml(document)


def test_reject_is_a_reject_verb() -> None:
    assert [child.tag for child in parse_twiml(twiml.reject())] == ["Reject"]
