"""Billable-lead rules: each rule decides alone, the documented order holds, the version is kept."""

from typing import Any

import pytest

from leadline.economics.rules import RULES, BillingDecision, PendingCallError, decide

# The example agency's rules, as `leadline config apply` stores them on a contract.
RULES_V1: dict[str, Any] = {
    "version": "2026-12-01",
    "min_call_seconds": 60,
    "bill_missed_calls": False,
    "bill_voicemails": False,
    "duplicate_window_days": 30,
    "bill_renters": True,
    "bill_outside_territory": False,
    "blocked_numbers": ["+12025550143"],
}


def answered_call(**fields: Any) -> dict[str, Any]:
    lead = {
        "lead_id": "CA0001",
        "channel": "call",
        "contractor_id": "lone-star-roofing",
        "assignment": "assigned",
        "caller_phone": "+12145550177",
        "call_result": "answered",
        "accepted": True,
        "connected_seconds": 95,
    }
    lead.update(fields)
    return lead


def form_lead(**fields: Any) -> dict[str, Any]:
    lead = {
        "lead_id": "form-1",
        "channel": "form",
        "contractor_id": "cactus-plumbing",
        "assignment": "assigned",
        "caller_phone": "+16025550177",
        "ownership": "owner",
    }
    lead.update(fields)
    return lead


def with_rules(**changes: Any) -> dict[str, Any]:
    return {**RULES_V1, **changes}


def test_long_answered_call_bills() -> None:
    decision = decide(answered_call(), RULES_V1, is_duplicate=False)
    assert decision == BillingDecision(billable=True, rule="billable", rules_version="2026-12-01")


def test_call_at_exact_minimum_bills() -> None:
    assert decide(answered_call(connected_seconds=60), RULES_V1, is_duplicate=False).billable


def test_call_one_second_short_does_not_bill() -> None:
    decision = decide(answered_call(connected_seconds=59), RULES_V1, is_duplicate=False)
    assert decision.billable is False
    assert decision.rule == "short_call"


def test_answered_call_without_duration_is_short() -> None:
    lead = answered_call()
    del lead["connected_seconds"]
    assert decide(lead, RULES_V1, is_duplicate=False).rule == "short_call"


def test_contract_minimum_override_applies() -> None:
    lead = answered_call(connected_seconds=45)
    decision = decide(lead, with_rules(min_call_seconds=45), is_duplicate=False)
    assert decision.rule == "billable"


def test_missed_call_does_not_bill_by_default() -> None:
    lead = answered_call(call_result="missed", connected_seconds=None)
    decision = decide(lead, RULES_V1, is_duplicate=False)
    assert decision.billable is False
    assert decision.rule == "missed_call"


def test_missed_call_bills_when_rules_say_so() -> None:
    lead = answered_call(call_result="missed", connected_seconds=None)
    assert decide(lead, with_rules(bill_missed_calls=True), is_duplicate=False).rule == "billable"


def test_voicemail_does_not_bill_by_default() -> None:
    lead = answered_call(call_result="missed", voicemail_left=True)
    decision = decide(lead, RULES_V1, is_duplicate=False)
    assert decision.billable is False
    assert decision.rule == "voicemail"


def test_voicemail_bills_when_rules_say_so() -> None:
    lead = answered_call(call_result="missed", voicemail_left=True)
    assert decide(lead, with_rules(bill_voicemails=True), is_duplicate=False).billable is True


def test_voicemail_rule_ignores_missed_call_rule() -> None:
    lead = answered_call(call_result="missed", voicemail_left=True)
    decision = decide(lead, with_rules(bill_missed_calls=True), is_duplicate=False)
    assert decision.rule == "voicemail"


def test_contractor_voicemail_pickup_is_missed() -> None:
    lead = answered_call(accepted=False, connected_seconds=140)
    assert decide(lead, RULES_V1, is_duplicate=False).rule == "missed_call"


def test_duplicate_does_not_bill() -> None:
    decision = decide(answered_call(), RULES_V1, is_duplicate=True)
    assert decision.billable is False
    assert decision.rule == "duplicate"


def test_renter_bills_by_default() -> None:
    assert decide(form_lead(ownership="renter"), RULES_V1, is_duplicate=False).billable is True


def test_renter_does_not_bill_when_excluded() -> None:
    decision = decide(form_lead(ownership="renter"), with_rules(bill_renters=False), is_duplicate=False)
    assert decision.rule == "renter"


def test_outside_territory_does_not_bill() -> None:
    decision = decide(answered_call(), RULES_V1, is_duplicate=False, is_outside_territory=True)
    assert decision.billable is False
    assert decision.rule == "outside_territory"


def test_outside_territory_bills_when_allowed() -> None:
    rules = with_rules(bill_outside_territory=True)
    decision = decide(answered_call(), rules, is_duplicate=False, is_outside_territory=True)
    assert decision.rule == "billable"


def test_blocked_number_does_not_bill() -> None:
    decision = decide(answered_call(caller_phone="+12025550143"), RULES_V1, is_duplicate=False)
    assert decision.billable is False
    assert decision.rule == "blocked_number"


def test_spam_mark_does_not_bill() -> None:
    assert decide(form_lead(spam=True), RULES_V1, is_duplicate=False).rule == "spam"


def test_unassigned_lead_does_not_bill() -> None:
    lead = answered_call(contractor_id="UNASSIGNED", assignment="unassigned", unassigned_reason="no_route")
    decision = decide(lead, RULES_V1, is_duplicate=False)
    assert decision.billable is False
    assert decision.rule == "unassigned"


def test_form_lead_bills() -> None:
    assert decide(form_lead(), RULES_V1, is_duplicate=False).rule == "billable"


def test_anonymous_caller_is_not_blocked() -> None:
    lead = answered_call()
    del lead["caller_phone"]
    assert decide(lead, RULES_V1, is_duplicate=False).rule == "billable"


def test_pending_call_raises() -> None:
    with pytest.raises(PendingCallError, match="CA0001"):
        decide(answered_call(call_result="pending"), RULES_V1, is_duplicate=False)


@pytest.mark.parametrize(
    ("lead", "flags", "expected"),
    [
        # Unassigned beats everything, even a blocked duplicate short call.
        (answered_call(contractor_id="UNASSIGNED", caller_phone="+12025550143", connected_seconds=5),
         {"is_duplicate": True}, "unassigned"),
        # Blocked beats spam and duplicate.
        (answered_call(caller_phone="+12025550143", spam=True), {"is_duplicate": True}, "blocked_number"),
        # Spam beats duplicate.
        (answered_call(spam=True), {"is_duplicate": True}, "spam"),
        # Duplicate beats outside territory and call results.
        (answered_call(call_result="missed"),
         {"is_duplicate": True, "is_outside_territory": True}, "duplicate"),
        # Outside territory beats renter and short call.
        (answered_call(ownership="renter", connected_seconds=5),
         {"is_duplicate": False, "is_outside_territory": True}, "outside_territory"),
        # Renter beats short call.
        (answered_call(ownership="renter", connected_seconds=5), {"is_duplicate": False}, "renter"),
    ],
)
def test_first_matching_rule_decides(lead: dict[str, Any], flags: dict[str, bool], expected: str) -> None:
    rules = with_rules(bill_renters=False)
    assert decide(lead, rules, **flags).rule == expected


def test_decision_carries_rules_version() -> None:
    decision = decide(form_lead(), with_rules(version="2027-01-15"), is_duplicate=False)
    assert decision.rules_version == "2027-01-15"


def test_every_decision_rule_is_listed() -> None:
    cases = [
        decide(answered_call(), RULES_V1, is_duplicate=False),
        decide(answered_call(connected_seconds=1), RULES_V1, is_duplicate=False),
        decide(answered_call(call_result="missed"), RULES_V1, is_duplicate=False),
        decide(answered_call(call_result="missed", voicemail_left=True), RULES_V1, is_duplicate=False),
        decide(answered_call(), RULES_V1, is_duplicate=True),
        decide(form_lead(ownership="renter"), with_rules(bill_renters=False), is_duplicate=False),
        decide(form_lead(), RULES_V1, is_duplicate=False, is_outside_territory=True),
        decide(form_lead(caller_phone="+12025550143"), RULES_V1, is_duplicate=False),
        decide(form_lead(spam=True), RULES_V1, is_duplicate=False),
        decide(form_lead(contractor_id="UNASSIGNED"), RULES_V1, is_duplicate=False),
    ]
    assert sorted(decision.rule for decision in cases) == sorted(RULES)
