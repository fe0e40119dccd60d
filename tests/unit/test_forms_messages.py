"""The SMS and emails a form lead sends: escaped HTML, local times, Unicode kept."""

from typing import Any

from leadline.forms import messages


def lead(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "lead_id": "form-0123456789abcdef0123456789abcdef",
        "trade": "roofing",
        "site": "Dallas Roof Pros",
        "zip": "75201",
        "caller_phone": "+12145550123",
        "name": "Zoë Müller 🏠",
        "email": "zoe@example.com",
        "message": "Leak <b>now</b>\nCall after 5 & ask for Zoë",
        "service_type": "roof_repair",
        "ownership": "owner",
        "received_at": "2026-12-04T19:53:49.123Z",
        "consent": {"disclosure_version": "2026-11-01", "page_url": "https://dallasroofpros.example/"},
    }
    values.update(overrides)
    return values


def test_local_time_in_contractor_zone() -> None:
    formatted = messages.format_local_time("2026-12-04T19:53:49.123Z", "America/Chicago")
    assert formatted == "Fri Dec 4, 2026 1:53 PM CST"


def test_local_time_in_summer() -> None:
    formatted = messages.format_local_time("2026-07-01T12:05:00.000Z", "America/New_York")
    assert formatted == "Wed Jul 1, 2026 8:05 AM EDT"


def test_sms_names_lead_and_reference() -> None:
    text = messages.contractor_sms(lead())
    assert text.startswith("New roofing lead from Dallas Roof Pros: Zoë Müller 🏠, +12145550123, ZIP 75201")
    assert "roof_repair, owner" in text
    assert text.endswith("Ref form-0123456789abcdef0123456789abcdef")


def test_sms_shortens_long_name() -> None:
    text = messages.contractor_sms(lead(name="A" * 100))
    assert "A" * 39 + "…," in text
    assert "A" * 41 not in text


def test_email_html_escapes_form_text() -> None:
    content = messages.contractor_email(lead(), "America/Chicago")
    assert "<b>now</b>" not in content.html
    assert "Leak &lt;b&gt;now&lt;/b&gt;<br>Call after 5 &amp; ask for Zoë" in content.html
    assert 'href="tel:+12145550123"' in content.html
    assert 'href="mailto:zoe@example.com"' in content.html


def test_email_text_part_keeps_text() -> None:
    content = messages.contractor_email(lead(), "America/Chicago")
    assert "Message: Leak <b>now</b>\n  Call after 5 & ask for Zoë" in content.text
    assert "Received: Fri Dec 4, 2026 1:53 PM CST" in content.text
    assert "disclosure 2026-11-01" in content.text


def test_email_subject_has_name_and_zip() -> None:
    subject = messages.contractor_email(lead(), "America/Chicago").subject
    assert subject == "New roofing lead: Zoë Müller 🏠, ZIP 75201"


def test_email_leaves_out_missing_optional_fields() -> None:
    content = messages.contractor_email(lead(email=None, message=None, service_type=None), "America/Chicago")
    assert "Email:" not in content.text
    assert "Message:" not in content.text
    assert "Service:" not in content.text


def test_agency_email_gives_reason() -> None:
    content = messages.agency_email(lead(unassigned_reason="no_route", zip="77002"), "America/Chicago")
    assert content.subject == "Unassigned roofing lead in ZIP 77002: nobody owns this trade in this ZIP"
    assert "No contractor was notified." in content.text


def test_agency_email_for_paused_owner() -> None:
    content = messages.agency_email(lead(unassigned_reason="paused"), "America/Chicago")
    assert "paused" in content.subject
