"""Outcome API keys: issued once, stored only as SHA-256, kept by config apply, revocable."""

import hashlib
from typing import Any

import pytest

from leadline.api_keys import authenticate, issue_key
from leadline.cli import main
from leadline.errors import AuthenticationError
from leadline.storage import config_tables
from tests.conftest import EXAMPLE_CONFIG

Capture = pytest.CaptureFixture[str]


def issued_key(capsys: Capture, *arguments: str) -> str:
    assert main(["contractors", "issue-key", *arguments]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_issue_key_prints_key_once(applied_example: Any, capsys: Capture) -> None:
    assert main(["contractors", "issue-key", "lone-star-roofing"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "API key for lone-star-roofing (shown once; only its SHA-256 is stored)."
    assert lines[1].startswith("ll_")
    assert len(lines[1]) == 46


def test_only_hash_is_stored(applied_example: Any, capsys: Capture) -> None:
    key = issued_key(capsys, "lone-star-roofing")
    digest = hashlib.sha256(key.encode()).hexdigest()
    record = config_tables.get_setting(f"apikey#{digest}")
    assert record is not None
    assert record["contractor_id"] == "lone-star-roofing"
    assert key not in repr(config_tables.scan_records("settings"))
    assert key not in repr(config_tables.scan_records("contractors"))


def test_issued_key_authenticates(applied_example: Any, capsys: Capture) -> None:
    key = issued_key(capsys, "cactus-plumbing")
    assert authenticate(key) == "cactus-plumbing"


def test_config_apply_keeps_keys(applied_example: Any, capsys: Capture) -> None:
    key = issued_key(capsys, "lone-star-roofing")
    assert main(["config", "apply", str(EXAMPLE_CONFIG)]) == 0
    assert "No changes: the tables already match" in capsys.readouterr().out
    assert authenticate(key) == "lone-star-roofing"


def test_config_apply_with_changes_keeps_keys(
    applied_example: Any, tmp_path: Any, capsys: Capture
) -> None:
    key = issued_key(capsys, "lone-star-roofing")
    changed = tmp_path / "agency.yaml"
    changed.write_text(EXAMPLE_CONFIG.read_text().replace("price: 45.10", "price: 47.50"))
    assert main(["config", "apply", str(changed)]) == 0
    output = capsys.readouterr().out
    assert "settings:" not in output
    assert authenticate(key) == "lone-star-roofing"


def test_replace_revokes_old_keys(applied_example: Any, capsys: Capture) -> None:
    old_key = issued_key(capsys, "bay-state-hvac")
    new_key = issued_key(capsys, "bay-state-hvac", "--replace")
    assert authenticate(new_key) == "bay-state-hvac"
    with pytest.raises(AuthenticationError):
        authenticate(old_key)


def test_replace_keeps_other_contractors_keys(applied_example: Any, capsys: Capture) -> None:
    other_key = issued_key(capsys, "cactus-plumbing")
    issued_key(capsys, "bay-state-hvac", "--replace")
    assert authenticate(other_key) == "cactus-plumbing"


def test_revoke_keys_command(applied_example: Any, capsys: Capture) -> None:
    key = issue_key("bay-state-hvac")
    issue_key("bay-state-hvac")
    assert main(["contractors", "revoke-keys", "bay-state-hvac"]) == 0
    assert capsys.readouterr().out.strip() == "Revoked 2 API key(s) of bay-state-hvac."
    with pytest.raises(AuthenticationError):
        authenticate(key)


def test_unknown_contractor_gets_no_key(applied_example: Any, capsys: Capture) -> None:
    assert main(["contractors", "issue-key", "nobody-roofing"]) == 2
    assert "contractor 'nobody-roofing' not found" in capsys.readouterr().err


def test_removed_contractor_key_stops_working(
    applied_example: Any, tmp_path: Any, capsys: Capture
) -> None:
    key = issued_key(capsys, "front-range-electric")
    text = EXAMPLE_CONFIG.read_text()
    start = text.index("  - id: front-range-electric")
    end = text.index("tracking_numbers:")
    without = tmp_path / "agency.yaml"
    without.write_text(text[:start] + text[end:])
    assert main(["config", "apply", str(without)]) == 0
    with pytest.raises(AuthenticationError, match="no longer exists"):
        authenticate(key)


def test_removed_contractor_gets_no_key(applied_example: Any, aws: Any) -> None:
    record = config_tables.get_contractor("front-range-electric")
    assert record is not None
    config_tables.put_record("contractors", {**record, "status": "removed"})
    with pytest.raises(ValueError, match="was removed"):
        issue_key("front-range-electric")
