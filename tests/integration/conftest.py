"""Fixtures for the call flow: local mode, the example agency and the real inbound_call handler."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadline.calls import config_cache, settings
from leadline.clock import CLOCK_OVERRIDE
from leadline.config.loader import load_config
from leadline.config.records import Records, desired_records
from leadline.storage import dynamo, lead_queue
from tests.conftest import EXAMPLE_CONFIG
from tests.support.calls import OPEN_HOURS, VoiceWebhooks
from tests.support.events import TEST_AUTH_TOKEN, TEST_PUBLIC_URL


def _reset_call_state() -> None:
    settings.call_settings.cache_clear()
    config_cache.clear()
    lead_queue.set_client(None)


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    return tmp_path / "sms.jsonl"


@pytest.fixture
def example_records(aws: Any) -> Records:
    """Write the records that `config apply` derives from examples/agency.yaml, in batches.

    The call flow only reads these records, and batch writes to the in-process moto are about
    five times faster than apply's one conditional write per route (measured on this suite).
    tests/unit/test_config_settings_records.py and the config tests cover apply itself.
    """
    records = desired_records(load_config(EXAMPLE_CONFIG))
    for table, by_key in records.items():
        items = [{"PutRequest": {"Item": dynamo.to_item(record)}} for record in by_key.values()]
        table_name = getattr(dynamo.tables(), table)
        for start in range(0, len(items), 25):
            dynamo.client().batch_write_item(RequestItems={table_name: items[start : start + 25]})
    return records


@pytest.fixture
def voice_env(monkeypatch: pytest.MonkeyPatch, outbox: Path, example_records: Records) -> Iterator[None]:
    """Local mode as `leadline serve` sets it, with the clock on a Wednesday morning."""
    monkeypatch.setenv(settings.LOCAL_MODE, "1")
    monkeypatch.setenv(settings.TWILIO_AUTH_TOKEN, TEST_AUTH_TOKEN)
    monkeypatch.setenv(settings.PUBLIC_BASE_URL, TEST_PUBLIC_URL)
    monkeypatch.setenv(CLOCK_OVERRIDE, OPEN_HOURS)
    monkeypatch.setenv("LEADLINE_SMS_OUTBOX", str(outbox))
    for name in (
        settings.LEAD_FALLBACK_QUEUE_URL,
        settings.FALLBACK_NUMBER,
        settings.TWILIO_AUTH_TOKEN_PARAMETER,
    ):
        monkeypatch.delenv(name, raising=False)
    _reset_call_state()
    yield
    _reset_call_state()


@pytest.fixture
def webhooks(voice_env: None) -> VoiceWebhooks:
    return VoiceWebhooks()
