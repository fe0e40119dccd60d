"""POST /leads through the real handler: JSON and HTML forms, routing, storage and notifications."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadline.storage.leads import UNASSIGNED
from tests.support.forms import (
    DALLAS_ORIGIN,
    FormStack,
    body_json,
    header,
    html_form_event,
    json_event,
    request_event,
    start_form_stack,
    submit,
    valid_fields,
)


@pytest.fixture
def form_stack(aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FormStack]:
    yield from start_form_stack(aws, tmp_path, monkeypatch)


LEAD_ID = re.compile(r"^form-[0-9a-f]{32}$")


@pytest.mark.parametrize("base64_body", [False, True])
def test_json_submit_returns_201(form_stack: FormStack, base64_body: bool) -> None:
    response = submit(json_event(valid_fields(), base64_body=base64_body))
    assert response["statusCode"] == 201
    lead_id = body_json(response)["lead_id"]
    assert LEAD_ID.match(lead_id)
    assert [lead["lead_id"] for lead in form_stack.leads()] == [lead_id]


@pytest.mark.parametrize("base64_body", [False, True])
def test_html_form_submit_redirects_303(form_stack: FormStack, base64_body: bool) -> None:
    response = submit(html_form_event(valid_fields(), base64_body=base64_body))
    assert response["statusCode"] == 303
    assert header(response, "Location") == "https://dallasroofpros.example/thank-you"
    assert response["body"] == ""
    assert len(form_stack.leads()) == 1


def test_stored_lead_has_contract_fields(form_stack: FormStack) -> None:
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    lead = form_stack.lead(lead_id)
    assert lead["channel"] == "form"
    assert lead["trade"] == "roofing"
    assert lead["zip"] == "75201"
    assert lead["zip_source"] == "form"
    assert lead["site"] == "Dallas Roof Pros"
    assert lead["contractor_id"] == "lone-star-roofing"
    assert lead["contract_id"] == "lone-star-dallas-roofing"
    assert lead["assignment"] == "assigned"
    assert "unassigned_reason" not in lead
    assert lead["caller_phone"] == "+12145550123"
    assert re.match(r"^[0-9a-f]{64}$", lead["homeowner_key"])
    assert lead["service_type"] == "roof_repair"
    assert lead["ownership"] == "owner"
    assert lead["email"] == "zoe@example.com"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", lead["received_at"])


def test_consent_evidence_stored(form_stack: FormStack) -> None:
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    lead = form_stack.lead(lead_id)
    assert lead["consent"] == {
        "disclosure_version": "2026-11-01",
        "consented_at": lead["received_at"],
        "page_url": "https://dallasroofpros.example/free-estimate",
        "source_ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (test)",
    }


def test_page_url_falls_back_to_referer(form_stack: FormStack) -> None:
    event = html_form_event(
        valid_fields(page_url=None), extra_headers=[("Referer", "https://dallasroofpros.example/roof-repair")]
    )
    assert submit(event)["statusCode"] == 303
    assert form_stack.leads()[0]["consent"]["page_url"] == "https://dallasroofpros.example/roof-repair"


@pytest.mark.parametrize(
    "name", ["Zoë Müller", "José Ñúñez-García", "山田 太郎", "Renée 🏠👩‍🔧", "e\u0301tienne O’Brien"]
)
def test_unicode_name_kept_everywhere(form_stack: FormStack, name: str) -> None:
    response = submit(html_form_event(valid_fields(name=name), base64_body=True))
    assert response["statusCode"] == 303
    assert form_stack.leads()[0]["name"] == name
    assert name in form_stack.sms()[0]["body"]
    email = form_stack.emails()[0]
    assert name in str(email["Subject"])
    assert name in email.get_body(("plain",)).get_content()


def test_unicode_message_kept_in_json_submit(form_stack: FormStack) -> None:
    text = "Hagelschäden 🌨️ am Dach.\nBitte nach 17 Uhr anrufen — danke!"
    submit(json_event(valid_fields(message=text)))
    assert form_stack.leads()[0]["message"] == text


def test_contractor_gets_sms_and_email(form_stack: FormStack) -> None:
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    sms = form_stack.sms()
    assert len(sms) == 1
    assert sms[0]["to"] == "+12145550102"
    assert lead_id in sms[0]["body"]
    emails = form_stack.emails()
    assert len(emails) == 1
    assert emails[0]["To"] == "office@lonestarroofing.example"
    assert emails[0]["From"] == "reports@porchlight-leads.example"


def test_email_has_utf8_html_and_text_parts(form_stack: FormStack) -> None:
    submit(json_event(valid_fields(message="Dach <undicht> & nass")))
    email = form_stack.emails()[0]
    html_part = email.get_body(("html",))
    text_part = email.get_body(("plain",))
    assert html_part.get_content_charset() == "utf-8"
    assert text_part.get_content_charset() == "utf-8"
    assert "Dach &lt;undicht&gt; &amp; nass" in html_part.get_content()
    assert "Dach <undicht> & nass" in text_part.get_content()


def test_notifications_recorded_on_lead(form_stack: FormStack) -> None:
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    recorded = form_stack.lead(lead_id)["notifications"]
    assert recorded["sms"] == form_stack.sms()[0]["sid"]
    assert recorded["email"]


def test_unowned_zip_emails_agency(form_stack: FormStack) -> None:
    fields = valid_fields(site="Houston Roof Pros", zip="77002", phone="+17135550123")
    response = submit(json_event(fields, origin="https://houstonroofpros.example"))
    assert response["statusCode"] == 201
    lead = form_stack.lead(body_json(response)["lead_id"])
    assert lead["contractor_id"] == UNASSIGNED
    assert lead["assignment"] == "unassigned"
    assert lead["unassigned_reason"] == "no_route"
    assert "contract_id" not in lead
    assert form_stack.sms() == []
    emails = form_stack.emails()
    assert [email["To"] for email in emails] == ["ops@porchlight-leads.example"]
    assert "77002" in str(emails[0]["Subject"])
    assert list(lead["notifications"]) == ["email"]


def test_paused_owner_stored_unassigned(form_stack: FormStack) -> None:
    fields = valid_fields(site="Denver Electricians", trade="electrical", zip="80202", phone="+13035550123")
    response = submit(json_event(fields, origin="https://denverelectricians.example"))
    lead = form_stack.lead(body_json(response)["lead_id"])
    assert lead["contractor_id"] == UNASSIGNED
    assert lead["unassigned_reason"] == "paused"
    assert form_stack.sms() == []
    assert "paused" in str(form_stack.emails()[0]["Subject"])


def test_honeypot_json_stores_nothing(form_stack: FormStack) -> None:
    response = submit(json_event(valid_fields(website="http://spam.example")))
    assert response["statusCode"] == 201
    assert LEAD_ID.match(body_json(response)["lead_id"])
    assert form_stack.leads() == []
    assert form_stack.sms() == []
    assert form_stack.emails() == []


def test_honeypot_form_ignores_bad_fields(form_stack: FormStack) -> None:
    response = submit(html_form_event(valid_fields(website="buy now", zip="x", phone="spam")))
    assert response["statusCode"] == 303
    assert header(response, "Location") == "https://dallasroofpros.example/thank-you"
    assert form_stack.leads() == []
    assert form_stack.sms() == []


def test_honeypot_writes_no_duplicate_claim(form_stack: FormStack) -> None:
    submit(json_event(valid_fields(website="x")))
    assert form_stack.dynamodb.scan(TableName="FormDedupeTable")["Count"] == 0
    assert submit(json_event(valid_fields()))["statusCode"] == 201
    assert len(form_stack.leads()) == 1


def test_cors_header_for_site_origin(form_stack: FormStack) -> None:
    response = submit(json_event(valid_fields(), origin="https://www.dallasroofpros.example"))
    assert header(response, "Access-Control-Allow-Origin") == "https://www.dallasroofpros.example"
    assert header(response, "Vary") == "Origin"


def test_no_cors_header_for_foreign_origin(form_stack: FormStack) -> None:
    response = submit(json_event(valid_fields(), origin="https://evil.example"))
    assert response["statusCode"] == 201
    assert header(response, "Access-Control-Allow-Origin") is None


def test_cors_header_on_error_response(form_stack: FormStack) -> None:
    response = submit(json_event(valid_fields(zip="1")))
    assert response["statusCode"] == 422
    assert header(response, "Access-Control-Allow-Origin") == DALLAS_ORIGIN


def test_preflight_allows_site_origin(form_stack: FormStack) -> None:
    event = request_event(
        "OPTIONS", None, content_type=None, origin="https://dfwroofhelp.example",
        extra_headers=[
            ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type")
        ],
    )
    response = submit(event)
    assert response["statusCode"] == 204
    assert header(response, "Access-Control-Allow-Origin") == "https://dfwroofhelp.example"
    assert header(response, "Access-Control-Allow-Methods") == "POST, OPTIONS"
    assert header(response, "Access-Control-Allow-Headers") == "Content-Type"
    assert header(response, "Access-Control-Max-Age") == "600"


@pytest.mark.parametrize("origin", ["https://evil.example", None])
def test_preflight_rejects_other_origins(form_stack: FormStack, origin: str | None) -> None:
    response = submit(request_event("OPTIONS", None, content_type=None, origin=origin))
    assert response["statusCode"] == 403
    assert header(response, "Access-Control-Allow-Origin") is None
    assert "origins in the agency config" in body_json(response)["message"]


def test_headers_matched_in_any_case(form_stack: FormStack) -> None:
    event = request_event(
        "POST", html_form_event(valid_fields())["body"], content_type=None, origin=None,
        extra_headers=[("content-TYPE", "application/x-www-form-urlencoded"), ("ORIGIN", DALLAS_ORIGIN)],
    )
    response = submit(event)
    assert response["statusCode"] == 303
    assert header(response, "Access-Control-Allow-Origin") == DALLAS_ORIGIN


def test_responses_are_not_cached(form_stack: FormStack) -> None:
    assert header(submit(json_event(valid_fields())), "Cache-Control") == "no-store"

