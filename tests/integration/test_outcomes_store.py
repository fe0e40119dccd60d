"""Outcome history and the lead snapshot: one transaction, conditional on the snapshot read."""

from decimal import Decimal
from typing import Any

import pytest

from leadline.errors import LeadNotFoundError
from leadline.storage import leads, outcomes
from leadline.storage.outcomes import OutcomeConflictError, outcome_history, record_outcome, save_outcome
from tests.support.leads import call_lead, store

BOOKED = {"appointment_booked": True, "appointment_at": "2026-12-07T20:00:00.000Z", "job_won": None,
          "revenue": None, "gross_profit": None, "service_type": "roof_repair"}
WON = {**BOOKED, "job_won": True, "revenue": Decimal("980.00")}


@pytest.fixture
def lead(aws: Any) -> dict[str, Any]:
    new_lead = call_lead("CA1")
    store(new_lead)
    return new_lead


def test_record_outcome_returns_snapshot(lead: dict[str, Any]) -> None:
    snapshot = record_outcome("CA1", "lone-star-roofing", BOOKED, "api")
    assert snapshot["appointment_booked"] is True
    assert snapshot["source"] == "api"
    assert snapshot["recorded_at"].endswith("Z")
    stored = leads.get_lead("CA1", consistent=True)
    assert stored is not None
    assert stored["outcome"] == snapshot


def test_history_items_have_every_field(lead: dict[str, Any]) -> None:
    record_outcome("CA1", "lone-star-roofing", BOOKED, "csv")
    history = outcome_history("CA1")
    assert len(history) == 1
    assert history[0]["revenue"] is None
    assert history[0]["contractor_id"] == "lone-star-roofing"
    assert history[0]["source"] == "csv"


def test_other_contractor_cannot_record(lead: dict[str, Any]) -> None:
    with pytest.raises(LeadNotFoundError):
        record_outcome("CA1", "cowtown-roofing", BOOKED, "api")
    assert outcome_history("CA1") == []


def test_unknown_source_is_rejected(lead: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="outcome source 'email' is invalid"):
        record_outcome("CA1", "lone-star-roofing", BOOKED, "email")


def test_stale_read_retries_and_keeps_both(lead: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    record_outcome("CA1", "lone-star-roofing", BOOKED, "api")
    stale_lead = dict(lead)
    real_get_lead = leads.get_lead
    reads: list[str] = []

    def first_read_is_stale(lead_id: str, *, consistent: bool = False) -> dict[str, Any] | None:
        reads.append(lead_id)
        return stale_lead if len(reads) == 1 else real_get_lead(lead_id, consistent=consistent)

    monkeypatch.setattr(outcomes.leads, "get_lead", first_read_is_stale)
    _, created = save_outcome("CA1", "lone-star-roofing", WON, "api")
    assert created is True
    assert len(reads) == 2
    assert [item["job_won"] for item in outcome_history("CA1")] == [None, True]


def test_endless_conflict_raises(lead: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    record_outcome("CA1", "lone-star-roofing", BOOKED, "api")
    stale_lead = dict(lead)
    monkeypatch.setattr(outcomes.leads, "get_lead", lambda lead_id, consistent=False: stale_lead)
    with pytest.raises(OutcomeConflictError, match="changed 3 times"):
        save_outcome("CA1", "lone-star-roofing", WON, "api")
    assert len(outcome_history("CA1")) == 1


def test_history_sorts_after_clock_skew(lead: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first = record_outcome("CA1", "lone-star-roofing", BOOKED, "api")
    # Another host whose clock runs behind records the next change.
    behind = outcomes.clock.from_iso("2020-01-01T00:00:00.000Z")
    monkeypatch.setattr(outcomes.clock, "utc_now", lambda: behind)
    second = record_outcome("CA1", "lone-star-roofing", WON, "api")
    assert second["recorded_at"] > first["recorded_at"]
    history_times = [item["recorded_at"] for item in outcome_history("CA1")]
    assert history_times == [first["recorded_at"], second["recorded_at"]]
