"""POST /leads/{id}/outcome through API Gateway REST events, on moto tables from template.yaml."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from leadline.api_keys import issue_key
from leadline.local.gateway import LambdaContext, load_handler
from leadline.local.template import PROJECT_ROOT
from leadline.storage import leads
from leadline.storage.outcomes import outcome_history
from tests.support.events import form_event
from tests.support.leads import call_lead, form_lead, store

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]

WON_WITH_PROFIT = {
    "appointment_booked": True,
    "appointment_at": "2026-12-07T14:00:00-06:00",
    "job_won": True,
    "revenue": "12400.00",
    "gross_profit": "4100.00",
    "service_type": "roof_replacement",
}


@pytest.fixture
def handler() -> Handler:
    return load_handler(PROJECT_ROOT / "functions" / "outcome_api", "app.lambda_handler")


@pytest.fixture
def keys(applied_example: Any) -> dict[str, str]:
    store(call_lead("CA100"), form_lead("form-200"))
    return {
        "lone-star-roofing": issue_key("lone-star-roofing"),
        "cactus-plumbing": issue_key("cactus-plumbing"),
    }


def outcome_event(
    lead_id: str,
    body: str | bytes | None,
    *,
    key: str | None = None,
    header: str = "Authorization",
    base64_body: bool = False,
) -> dict[str, Any]:
    extra = []
    if key is not None:
        extra.append((header, f"Bearer {key}" if header == "Authorization" else key))
    return form_event(
        f"/leads/{lead_id}/outcome",
        body,
        content_type="application/json",
        base64_body=base64_body,
        extra_headers=extra,
        path_parameters={"id": lead_id},
        resource="/leads/{id}/outcome",
    )


def call(handler: Handler, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = handler(event, LambdaContext("OutcomeApiFunction"))
    return response["statusCode"], json.loads(response["body"])


def lead_outcome(lead_id: str) -> Any:
    lead = leads.get_lead(lead_id, consistent=True)
    assert lead is not None
    return lead.get("outcome")


def test_outcome_with_gross_profit_is_recorded(handler: Handler, keys: dict[str, str]) -> None:
    event = outcome_event("CA100", json.dumps(WON_WITH_PROFIT), key=keys["lone-star-roofing"])
    status, body = call(handler, event)
    assert status == 201
    assert body["recorded"] is True
    assert body["outcome"]["revenue"] == "12400.00"
    assert body["outcome"]["appointment_at"] == "2026-12-07T20:00:00.000Z"
    snapshot = lead_outcome("CA100")
    assert snapshot["gross_profit"] == Decimal("4100.00")
    assert snapshot["source"] == "api"
    assert len(outcome_history("CA100")) == 1


def test_json_numbers_are_read_exactly(handler: Handler, keys: dict[str, str]) -> None:
    body_text = (
        '{"appointment_booked": true, "job_won": true, "revenue": 9800.10, "service_type": "roof_repair"}'
    )
    status, body = call(handler, outcome_event("CA100", body_text, key=keys["lone-star-roofing"]))
    assert status == 201
    assert body["outcome"]["gross_profit"] is None
    assert lead_outcome("CA100")["revenue"] == Decimal("9800.10")


def test_base64_body_is_decoded(handler: Handler, keys: dict[str, str]) -> None:
    event = outcome_event(
        "CA100", json.dumps(WON_WITH_PROFIT).encode(), key=keys["lone-star-roofing"], base64_body=True
    )
    assert event["isBase64Encoded"] is True
    status, _ = call(handler, event)
    assert status == 201
    assert lead_outcome("CA100")["revenue"] == Decimal("12400.00")


def test_x_api_key_header_works(handler: Handler, keys: dict[str, str]) -> None:
    key = keys["cactus-plumbing"]
    event = outcome_event("form-200", '{"appointment_booked": false}', key=key, header="X-Api-Key")
    status, _ = call(handler, event)
    assert status == 201
    assert lead_outcome("form-200")["appointment_booked"] is False


def test_lowercase_authorization_header_works(handler: Handler, keys: dict[str, str]) -> None:
    key = keys["lone-star-roofing"]
    event = outcome_event("CA100", '{"appointment_booked": true}', key=key, header="authorization")
    event["headers"]["authorization"] = f"bearer {keys['lone-star-roofing']}"
    status, _ = call(handler, event)
    assert status == 201


def test_wrong_key_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    wrong = "ll_" + "A" * 43
    response = handler(outcome_event("CA100", json.dumps(WON_WITH_PROFIT), key=wrong), LambdaContext("f"))
    assert response["statusCode"] == 401
    assert response["multiValueHeaders"]["WWW-Authenticate"] == ["Bearer"]
    assert lead_outcome("CA100") is None
    assert outcome_history("CA100") == []


def test_missing_key_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    status, body = call(handler, outcome_event("CA100", json.dumps(WON_WITH_PROFIT)))
    assert status == 401
    assert "missing" in body["message"]


def test_malformed_key_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    status, _ = call(handler, outcome_event("CA100", json.dumps(WON_WITH_PROFIT), key="not-a-key"))
    assert status == 401


def test_key_is_checked_before_body(handler: Handler, keys: dict[str, str]) -> None:
    status, _ = call(handler, outcome_event("CA100", "{not json", key="ll_" + "B" * 43))
    assert status == 401


def test_other_contractors_lead_is_not_found(handler: Handler, keys: dict[str, str]) -> None:
    event = outcome_event("form-200", json.dumps(WON_WITH_PROFIT), key=keys["lone-star-roofing"])
    status, body = call(handler, event)
    assert status == 404
    assert body["message"] == "lead 'form-200' not found; check the lead id in the lead's SMS or email"
    assert lead_outcome("form-200") is None
    assert outcome_history("form-200") == []


def test_unknown_lead_gets_same_answer(handler: Handler, keys: dict[str, str]) -> None:
    event = outcome_event("CA999", json.dumps(WON_WITH_PROFIT), key=keys["lone-star-roofing"])
    status, body = call(handler, event)
    assert status == 404
    assert body["message"] == "lead 'CA999' not found; check the lead id in the lead's SMS or email"


def test_bad_fields_are_named(handler: Handler, keys: dict[str, str]) -> None:
    bad = {"appointment_booked": "yes", "job_won": True, "revenue": 12.345, "colour": "red"}
    status, body = call(handler, outcome_event("CA100", json.dumps(bad), key=keys["lone-star-roofing"]))
    assert status == 400
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert set(fields) == {"appointment_booked", "revenue", "colour"}
    assert "not true or false" in fields["appointment_booked"]
    assert "fractions of a cent" in fields["revenue"]
    assert "unknown field" in fields["colour"]
    assert lead_outcome("CA100") is None


def test_revenue_without_won_job_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    bad = {"appointment_booked": True, "job_won": False, "revenue": "500.00"}
    status, body = call(handler, outcome_event("CA100", json.dumps(bad), key=keys["lone-star-roofing"]))
    assert status == 400
    assert body["errors"] == [
        {"field": "revenue", "message": "set only when job_won is true; leave it empty otherwise"}
    ]


def test_invalid_json_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    event = outcome_event("CA100", "{appointment_booked: true", key=keys["lone-star-roofing"])
    status, body = call(handler, event)
    assert status == 400
    assert body["errors"][0]["field"] == "body"
    assert body["errors"][0]["message"].startswith("not valid JSON")


def test_json_array_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    status, body = call(handler, outcome_event("CA100", "[1, 2]", key=keys["lone-star-roofing"]))
    assert status == 400
    assert body["errors"][0]["field"] == "body"


def test_binary_body_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    event = outcome_event("CA100", b"\xff\xfe{", key=keys["lone-star-roofing"], base64_body=True)
    status, body = call(handler, event)
    assert status == 400
    assert body["errors"] == [{"field": "body", "message": "not UTF-8 text; send UTF-8 JSON"}]


def test_nan_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    text = '{"appointment_booked": true, "job_won": true, "revenue": NaN}'
    status, _ = call(handler, outcome_event("CA100", text, key=keys["lone-star-roofing"]))
    assert status == 400


def test_oversized_body_is_rejected(handler: Handler, keys: dict[str, str]) -> None:
    text = json.dumps({"appointment_booked": True, "service_type": "x" * 20_000})
    status, _ = call(handler, outcome_event("CA100", text, key=keys["lone-star-roofing"]))
    assert status == 413


def test_history_is_kept(handler: Handler, keys: dict[str, str]) -> None:
    key = keys["lone-star-roofing"]
    booked = {"appointment_booked": True, "appointment_at": "2026-12-07T14:00:00-06:00"}
    assert call(handler, outcome_event("CA100", json.dumps(booked), key=key))[0] == 201
    assert call(handler, outcome_event("CA100", json.dumps(WON_WITH_PROFIT), key=key))[0] == 201

    history = outcome_history("CA100")
    assert len(history) == 2
    assert history[0]["job_won"] is None
    assert history[1]["revenue"] == Decimal("12400.00")
    assert history[0]["recorded_at"] < history[1]["recorded_at"]
    assert lead_outcome("CA100")["recorded_at"] == history[1]["recorded_at"]


def test_repeated_outcome_adds_no_history(handler: Handler, keys: dict[str, str]) -> None:
    key = keys["lone-star-roofing"]
    call(handler, outcome_event("CA100", json.dumps(WON_WITH_PROFIT), key=key))
    same_amounts_other_spelling = {**WON_WITH_PROFIT, "revenue": 12400, "gross_profit": "$4,100"}
    status, body = call(handler, outcome_event("CA100", json.dumps(same_amounts_other_spelling), key=key))
    assert status == 200
    assert body["recorded"] is False
    assert len(outcome_history("CA100")) == 1


def test_unassigned_lead_is_not_found(handler: Handler, keys: dict[str, str]) -> None:
    store(call_lead("CA300", contractor_id=leads.UNASSIGNED, contract_id=None, zip_code="77002"))
    event = outcome_event("CA300", json.dumps(WON_WITH_PROFIT), key=keys["lone-star-roofing"])
    status, _ = call(handler, event)
    assert status == 404
