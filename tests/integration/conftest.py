"""Fixtures for the call flow: local mode, the example agency and the real inbound_call handler."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadline.calls import config_cache, settings
from leadline.storage import lead_queue
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
def voice_env(monkeypatch: pytest.MonkeyPatch, outbox: Path, applied_example: Any) -> Iterator[None]:
    """Local mode as `leadline serve` sets it, with the clock on a Wednesday morning."""
    monkeypatch.setenv(settings.LOCAL_MODE, "1")
    monkeypatch.setenv(settings.TWILIO_AUTH_TOKEN, TEST_AUTH_TOKEN)
    monkeypatch.setenv(settings.PUBLIC_BASE_URL, TEST_PUBLIC_URL)
    monkeypatch.setenv(settings.CLOCK_OVERRIDE, OPEN_HOURS)
    monkeypatch.setenv("LEADLINE_SMS_OUTBOX", str(outbox))
    for name in (settings.LEAD_FALLBACK_QUEUE_URL, settings.FALLBACK_NUMBER, settings.TWILIO_AUTH_TOKEN_PARAMETER):
        monkeypatch.delenv(name, raising=False)
    _reset_call_state()
    yield
    _reset_call_state()


@pytest.fixture
def webhooks(voice_env: None) -> VoiceWebhooks:
    return VoiceWebhooks()
