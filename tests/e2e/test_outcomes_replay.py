"""The demo's outcomes step against the local stack: HTTP through the gateway, keys, CSV import."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadline.local.replay import STEPS, ReplayContext
from leadline.local.replay.outcomes import replay_outcomes
from leadline.local.stack import LocalStack, start_local_stack
from leadline.storage import dynamo, leads
from tests.conftest import EXAMPLE_CONFIG
from tests.support.leads import call_lead, form_lead, store


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[LocalStack]:
    saved_environment = dict(os.environ)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    local = start_local_stack(config_path=EXAMPLE_CONFIG, out_dir=tmp_path)
    try:
        yield local
    finally:
        local.stop()
        dynamo.set_client(None)
        os.environ.clear()
        os.environ.update(saved_environment)


def replay(local: LocalStack) -> dict[str, str]:
    context = ReplayContext(
        base_url=local.base_url,
        public_url=os.environ["PUBLIC_BASE_URL"],
        auth_token=os.environ["TWILIO_AUTH_TOKEN"],
        out_dir=local.out_dir,
    )
    return {row.case: row.result for row in replay_outcomes(context)}


def test_outcomes_step_precedes_report() -> None:
    # The nightly report step runs last and reads the outcomes this step records.
    assert STEPS[-2] == ("outcomes", replay_outcomes)


@pytest.mark.slow
def test_step_skips_without_leads(stack: LocalStack) -> None:
    assert replay(stack) == {"skipped": "no assigned leads stored: the call and form steps did not run"}


@pytest.mark.slow
def test_step_posts_and_imports(stack: LocalStack) -> None:
    store(
        call_lead("CA1", service_type="roof_replacement", received_at="2026-12-03T15:00:00.000Z"),
        call_lead("CA2", service_type="roof_repair", caller_phone="+12145550188",
                  received_at="2026-12-03T16:00:00.000Z"),
        call_lead("CA3", call_result="missed", connected_seconds=None, caller_phone="+12145550199",
                  received_at="2026-12-03T14:00:00.000Z"),
        form_lead("form-4", received_at="2026-12-03T17:00:00.000Z"),
        form_lead("form-5", caller_phone="+16025550188", service_type="water_heater",
                  received_at="2026-12-03T18:00:00.000Z"),
        call_lead("CA6", contractor_id=leads.UNASSIGNED, contract_id=None, zip_code="77002"),
    )
    results: dict[str, Any] = replay(stack)

    assert results["issue key for lone-star-roofing"] == "key issued; only its SHA-256 is stored"
    assert results["POST CA1 with gross profit"] == (
        "201: revenue $12,400.00, gross profit $4,100.00 (reported, roof_replacement)"
    )
    # $980.00 x 0.45, Lone Star's default margin for roof repairs.
    assert results["POST CA2 revenue only"] == (
        "201: revenue $980.00, gross profit $441.00 (default margin, roof_repair)"
    )
    assert results["POST with a wrong key"].startswith("401 API key invalid")
    assert results["POST form-4 with lone-star-roofing's key"] == (
        "404 lead 'form-4' not found; check the lead id in the lead's SMS or email"
    )
    assert results["import out/outcomes.csv"] == "2 recorded, 0 unchanged"
    assert results["import out/outcomes.csv again"] == "0 recorded, 2 unchanged"
    csv_text = (stack.out_dir / "outcomes.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("lead_id,appointment_booked")

    won_by_csv = leads.get_lead("form-5", consistent=True)
    assert won_by_csv is not None
    assert won_by_csv["outcome"]["source"] == "csv"
    assert won_by_csv["outcome"]["service_type"] == "water_heater"
