"""classify_leads on moto tables built from template.yaml, with the example agency applied."""

from decimal import Decimal
from typing import Any

import pytest

from leadline.economics.classify import classify_leads
from leadline.storage import config_tables, leads
from tests.support.leads import call_lead, form_lead, store


def contractor(contractor_id: str) -> dict[str, Any]:
    record = config_tables.get_contractor(contractor_id)
    assert record is not None
    return record


def stored(lead_id: str) -> dict[str, Any]:
    lead = leads.get_lead(lead_id, consistent=True)
    assert lead is not None
    return lead


def classify(contractor_id: str, *lead_ids: str) -> dict[str, dict[str, Any]]:
    results = classify_leads(contractor(contractor_id), [stored(lead_id) for lead_id in lead_ids])
    return {lead["lead_id"]: lead for lead in results}


def test_billable_call_is_priced_and_stored(applied_example: Any) -> None:
    store(call_lead("CA1", service_type="roof_replacement"))
    result = classify("lone-star-roofing", "CA1")["CA1"]
    assert result["billable"] is True
    assert result["billing_rule"] == "billable"
    assert result["rules_version"] == "2026-12-01"
    assert result["price"] == Decimal("85.00")
    assert stored("CA1")["price"] == Decimal("85.00")
    assert stored("CA1")["billing_rule"] == "billable"


def test_base_price_without_service_type(applied_example: Any) -> None:
    store(call_lead("CA1"))
    assert classify("lone-star-roofing", "CA1")["CA1"]["price"] == Decimal("45.10")


def test_non_billable_lead_costs_nothing(applied_example: Any) -> None:
    store(call_lead("CA1", connected_seconds=20))
    result = classify("lone-star-roofing", "CA1")["CA1"]
    assert result["billing_rule"] == "short_call"
    assert result["price"] == Decimal(0)


def test_flat_monthly_lead_has_zero_price(applied_example: Any) -> None:
    store(call_lead("CA1", contractor_id="cowtown-roofing", contract_id="cowtown-tarrant-roofing",
                    zip_code="76102"))
    result = classify("cowtown-roofing", "CA1")["CA1"]
    assert result["billable"] is True
    assert result["price"] == Decimal(0)


def test_contract_override_minimum_applies(applied_example: Any) -> None:
    # Cowtown's contract bills calls from 45 seconds; the agency default is 60.
    store(call_lead("CA1", contractor_id="cowtown-roofing", contract_id="cowtown-tarrant-roofing",
                    zip_code="76102", connected_seconds=50))
    assert classify("cowtown-roofing", "CA1")["CA1"]["billing_rule"] == "billable"


def test_repeat_call_within_window_is_duplicate(applied_example: Any) -> None:
    store(
        call_lead("CA1", received_at="2026-11-25T15:00:00.000Z"),
        call_lead("CA2", received_at="2026-12-03T15:00:00.000Z"),
    )
    classify("lone-star-roofing", "CA1")
    result = classify("lone-star-roofing", "CA2")["CA2"]
    assert result["billable"] is False
    assert result["billing_rule"] == "duplicate"
    assert result["price"] == Decimal(0)


def test_duplicate_found_within_one_run(applied_example: Any) -> None:
    store(
        call_lead("CA1", received_at="2026-12-03T15:00:00.000Z"),
        call_lead("CA2", received_at="2026-12-03T15:20:00.000Z"),
    )
    results = classify("lone-star-roofing", "CA2", "CA1")
    assert results["CA1"]["billing_rule"] == "billable"
    assert results["CA2"]["billing_rule"] == "duplicate"


def test_form_then_call_is_duplicate(applied_example: Any) -> None:
    store(
        form_lead("form-1", received_at="2026-12-01T10:00:00.000Z"),
        call_lead("CA2", contractor_id="cactus-plumbing", contract_id="cactus-phoenix-plumbing",
                  trade="plumbing", zip_code="85004", caller_phone="+16025550177",
                  received_at="2026-12-02T10:00:00.000Z"),
    )
    results = classify("cactus-plumbing", "form-1", "CA2")
    assert results["form-1"]["billing_rule"] == "billable"
    assert results["CA2"]["billing_rule"] == "duplicate"


def test_call_after_window_is_billable(applied_example: Any) -> None:
    store(
        call_lead("CA1", received_at="2026-11-02T15:00:00.000Z"),
        call_lead("CA2", received_at="2026-12-03T15:00:00.000Z"),
    )
    results = classify("lone-star-roofing", "CA1", "CA2")
    # 31 days apart, and the window is 30 days.
    assert results["CA2"]["billing_rule"] == "billable"


def test_callback_after_missed_call_bills(applied_example: Any) -> None:
    store(
        call_lead("CA1", call_result="missed", connected_seconds=None,
                  received_at="2026-12-03T15:00:00.000Z"),
        call_lead("CA2", received_at="2026-12-03T15:05:00.000Z"),
    )
    results = classify("lone-star-roofing", "CA1", "CA2")
    assert results["CA1"]["billing_rule"] == "missed_call"
    assert results["CA2"]["billing_rule"] == "billable"


def test_earlier_unassigned_lead_is_not_duplicate(applied_example: Any) -> None:
    store(
        call_lead("CA1", contractor_id=leads.UNASSIGNED, contract_id=None, zip_code="77002",
                  unassigned_reason="no_route", received_at="2026-12-01T15:00:00.000Z"),
        call_lead("CA2", received_at="2026-12-03T15:00:00.000Z"),
    )
    assert classify("lone-star-roofing", "CA2")["CA2"]["billing_rule"] == "billable"


def test_other_homeowner_is_not_duplicate(applied_example: Any) -> None:
    store(
        call_lead("CA1", received_at="2026-12-01T15:00:00.000Z"),
        call_lead("CA2", caller_phone="+12145550188", received_at="2026-12-03T15:00:00.000Z"),
    )
    assert classify("lone-star-roofing", "CA1", "CA2")["CA2"]["billing_rule"] == "billable"


def test_anonymous_callers_are_not_duplicates(applied_example: Any) -> None:
    store(
        call_lead("CA1", caller_phone=None, received_at="2026-12-01T15:00:00.000Z"),
        call_lead("CA2", caller_phone=None, received_at="2026-12-03T15:00:00.000Z"),
    )
    assert classify("lone-star-roofing", "CA1", "CA2")["CA2"]["billing_rule"] == "billable"


def test_zip_nobody_owns_is_outside_territory(applied_example: Any) -> None:
    # A caller on the DFW number entered Houston's 77002, which nobody owns, and the call was
    # routed to the number's default ZIP 76102 (Cowtown).
    store(call_lead("CA1", contractor_id="cowtown-roofing", contract_id="cowtown-tarrant-roofing",
                    zip_code="77002", zip_source="caller"))
    result = classify("cowtown-roofing", "CA1")["CA1"]
    assert result["billable"] is False
    assert result["billing_rule"] == "outside_territory"


def test_zip_of_other_contractor_is_outside_territory(applied_example: Any) -> None:
    store(call_lead("CA1", contractor_id="cowtown-roofing", contract_id="cowtown-tarrant-roofing",
                    zip_code="75201", zip_source="caller"))
    assert classify("cowtown-roofing", "CA1")["CA1"]["billing_rule"] == "outside_territory"


def test_renter_excluded_by_contract(applied_example: Any) -> None:
    store(form_lead("form-1", ownership="renter"))
    assert classify("cactus-plumbing", "form-1")["form-1"]["billing_rule"] == "renter"


def test_blocked_caller_does_not_bill(applied_example: Any) -> None:
    store(call_lead("CA1", caller_phone="+12025550143"))
    assert classify("lone-star-roofing", "CA1")["CA1"]["billing_rule"] == "blocked_number"


def test_voicemail_does_not_bill(applied_example: Any) -> None:
    store(call_lead("CA1", call_result="missed", connected_seconds=None, voicemail_left=True))
    assert classify("lone-star-roofing", "CA1")["CA1"]["billing_rule"] == "voicemail"


def test_pending_call_is_left_alone(applied_example: Any) -> None:
    store(call_lead("CA1", call_result="pending", connected_seconds=None))
    result = classify("lone-star-roofing", "CA1")["CA1"]
    assert "billable" not in result
    assert "billing_rule" not in stored("CA1")


def test_unassigned_lead_uses_agency_rules(applied_example: Any) -> None:
    store(call_lead("CA1", contractor_id=leads.UNASSIGNED, contract_id=None, zip_code="77002",
                    unassigned_reason="no_route"))
    result = classify_leads({"contractor_id": leads.UNASSIGNED, "contracts": []}, [stored("CA1")])[0]
    assert result["billing_rule"] == "unassigned"
    assert result["rules_version"] == "2026-12-01"
    assert result["price"] == Decimal(0)


def test_second_run_rewrites_nothing(applied_example: Any) -> None:
    store(call_lead("CA1"))
    first = classify("lone-star-roofing", "CA1")["CA1"]
    second = classify("lone-star-roofing", "CA1")["CA1"]
    assert second["classified_at"] == first["classified_at"]
    assert stored("CA1")["classified_at"] == first["classified_at"]


def test_changed_input_is_decided_again(applied_example: Any, aws: Any) -> None:
    store(call_lead("CA1", connected_seconds=None))
    assert classify("lone-star-roofing", "CA1")["CA1"]["billing_rule"] == "short_call"
    aws.update_item(
        TableName="LeadsTable", Key={"lead_id": {"S": "CA1"}},
        UpdateExpression="SET connected_seconds = :seconds",
        ExpressionAttributeValues={":seconds": {"N": "240"}},
    )
    assert classify("lone-star-roofing", "CA1")["CA1"]["billing_rule"] == "billable"


def test_stale_copy_is_reread_before_writing(applied_example: Any, aws: Any) -> None:
    store(call_lead("CA1", call_result="missed", connected_seconds=None))
    stale = stored("CA1")
    # The dial result was corrected after the report read the lead.
    aws.update_item(
        TableName="LeadsTable", Key={"lead_id": {"S": "CA1"}},
        UpdateExpression="SET call_result = :answered, accepted = :pressed, connected_seconds = :seconds",
        ExpressionAttributeValues={
            ":answered": {"S": "answered"}, ":pressed": {"BOOL": True}, ":seconds": {"N": "120"},
        },
    )
    result = classify_leads(contractor("lone-star-roofing"), [stale])[0]
    assert result["billing_rule"] == "billable"
    assert stored("CA1")["billing_rule"] == "billable"


def test_results_keep_input_order(applied_example: Any) -> None:
    store(
        call_lead("CA1", received_at="2026-12-03T18:00:00.000Z", caller_phone="+12145550111"),
        call_lead("CA2", received_at="2026-12-03T09:00:00.000Z", caller_phone="+12145550122"),
    )
    results = classify_leads(contractor("lone-star-roofing"), [stored("CA1"), stored("CA2")])
    assert [lead["lead_id"] for lead in results] == ["CA1", "CA2"]


def test_other_contractors_lead_raises(applied_example: Any) -> None:
    store(form_lead("form-1"))
    with pytest.raises(ValueError, match="belongs to 'cactus-plumbing'"):
        classify("lone-star-roofing", "form-1")
