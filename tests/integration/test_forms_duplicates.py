"""Duplicate submits: the same homeowner and trade inside the agency's window reuse the first lead."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from leadline import clock
from leadline.forms import sites
from leadline.storage import config_tables
from tests.support.forms import (
    FormStack,
    body_json,
    header,
    html_form_event,
    json_event,
    start_form_stack,
    submit,
    valid_fields,
)


@pytest.fixture
def form_stack(aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FormStack]:
    yield from start_form_stack(aws, tmp_path, monkeypatch)


def dedupe_items(stack: FormStack) -> list[dict[str, Any]]:
    items = stack.dynamodb.scan(TableName="FormDedupeTable")["Items"]
    return [{key: next(iter(value.values())) for key, value in item.items()} for item in items]


def test_json_duplicate_gets_same_response(form_stack: FormStack) -> None:
    first = submit(json_event(valid_fields(phone="(214) 555-0123")))
    second = submit(json_event(valid_fields(phone="+1 214.555.0123", message="Sent again")))
    assert first["statusCode"] == second["statusCode"] == 201
    assert body_json(first) == body_json(second)
    assert len(form_stack.leads()) == 1
    assert len(form_stack.sms()) == 1
    assert len(form_stack.emails()) == 1


def test_html_form_duplicate_gets_same_redirect(form_stack: FormStack) -> None:
    first = submit(html_form_event(valid_fields()))
    second = submit(html_form_event(valid_fields(), base64_body=True))
    assert first["statusCode"] == second["statusCode"] == 303
    assert header(first, "Location") == header(second, "Location")
    assert len(form_stack.leads()) == 1
    assert len(form_stack.sms()) == 1


def test_duplicate_keeps_first_submit_fields(form_stack: FormStack) -> None:
    submit(json_event(valid_fields(name="Zoë Müller")))
    submit(json_event(valid_fields(name="Z. Müller", zip="75202")))
    [lead] = form_stack.leads()
    assert lead["name"] == "Zoë Müller"
    assert lead["zip"] == "75201"


def test_duplicate_response_follows_content_type(form_stack: FormStack) -> None:
    first = submit(json_event(valid_fields()))
    second = submit(html_form_event(valid_fields()))
    assert first["statusCode"] == 201
    assert second["statusCode"] == 303
    assert len(form_stack.leads()) == 1


def test_other_trade_is_a_new_lead(form_stack: FormStack) -> None:
    submit(json_event(valid_fields()))
    hvac = valid_fields(site="Boston HVAC Repair", trade="hvac", zip="02134")
    response = submit(json_event(hvac, origin="https://bostonhvacrepair.example"))
    assert response["statusCode"] == 201
    assert len(form_stack.leads()) == 2
    assert len(form_stack.sms()) == 2


def test_other_phone_is_a_new_lead(form_stack: FormStack) -> None:
    first = body_json(submit(json_event(valid_fields())))
    second = body_json(submit(json_event(valid_fields(phone="+12145550124"))))
    assert first["lead_id"] != second["lead_id"]
    assert len(form_stack.leads()) == 2


def test_duplicate_item_expires_after_window(form_stack: FormStack) -> None:
    lead_id = body_json(submit(json_event(valid_fields())))["lead_id"]
    [item] = dedupe_items(form_stack)
    lead = form_stack.lead(lead_id)
    assert item["homeowner_key"] == lead["homeowner_key"]
    assert item["lead_id"] == lead_id
    received = clock.from_iso(lead["received_at"])
    assert int(item["expires_at"]) == int((received + timedelta(days=30)).timestamp())


def test_submit_after_window_is_a_new_lead(form_stack: FormStack, monkeypatch: pytest.MonkeyPatch) -> None:
    first = body_json(submit(json_event(valid_fields())))["lead_id"]
    later = clock.utc_now() + timedelta(days=30, seconds=1)
    monkeypatch.setattr(clock, "utc_now", lambda: later)
    second = body_json(submit(json_event(valid_fields())))["lead_id"]
    assert first != second
    assert len(form_stack.leads()) == 2
    assert [item["lead_id"] for item in dedupe_items(form_stack)] == [second]


def test_submit_inside_window_is_a_duplicate(form_stack: FormStack, monkeypatch: pytest.MonkeyPatch) -> None:
    first = body_json(submit(json_event(valid_fields())))["lead_id"]
    later = clock.utc_now() + timedelta(days=29, hours=23)
    monkeypatch.setattr(clock, "utc_now", lambda: later)
    assert body_json(submit(json_event(valid_fields())))["lead_id"] == first


def test_zero_day_window_turns_detection_off(form_stack: FormStack) -> None:
    agency = config_tables.get_setting("agency")
    assert agency is not None
    agency["lead_rules"]["duplicate_window_days"] = 0
    config_tables.put_record("settings", agency)
    sites.clear_cache()
    submit(json_event(valid_fields()))
    submit(json_event(valid_fields()))
    assert len(form_stack.leads()) == 2
    assert dedupe_items(form_stack) == []


def test_claim_without_lead_stores_under_claimed_id(form_stack: FormStack) -> None:
    """A first submit that stopped after its claim leaves no lead; the next one stores it."""
    submit(json_event(valid_fields()))
    [item] = dedupe_items(form_stack)
    orphan_id = "form-" + "0" * 32
    form_stack.dynamodb.put_item(
        TableName="FormDedupeTable",
        Item={
            "homeowner_key": {"S": item["homeowner_key"]},
            "lead_id": {"S": orphan_id},
            "first_seen_at": {"S": clock.utc_now_iso()},
            "expires_at": {"N": str(int((datetime.now() + timedelta(days=1)).timestamp()))},
        },
    )
    response = submit(json_event(valid_fields()))
    assert body_json(response)["lead_id"] == orphan_id
    assert form_stack.lead(orphan_id)["assignment"] == "assigned"
    assert len(form_stack.sms()) == 2


def test_unassigned_duplicate_emails_agency_once(form_stack: FormStack) -> None:
    fields = valid_fields(site="Houston Roof Pros", zip="77002")
    origin = "https://houstonroofpros.example"
    first = submit(json_event(fields, origin=origin))
    second = submit(json_event(fields, origin=origin))
    assert body_json(first) == body_json(second)
    assert len(form_stack.emails()) == 1
