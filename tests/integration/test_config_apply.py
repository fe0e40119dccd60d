"""Applying a config: diff first, refuse to break exclusivity, idempotent, nothing written on errors."""

from pathlib import Path
from typing import Any

import pytest

from leadline.cli import main
from leadline.config.apply import apply_diff, check_transfers, plan
from leadline.config.loader import load_config
from leadline.errors import ConfigError
from leadline.storage import config_tables, routes
from tests.conftest import EXAMPLE_CONFIG


def count_items(client: Any, table: str) -> int:
    return int(client.scan(TableName=table, Select="COUNT")["Count"])


def test_apply_writes_every_table(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "apply", str(EXAMPLE_CONFIG)]) == 0
    loaded = load_config(EXAMPLE_CONFIG)
    assert count_items(aws, "RoutesTable") == len(loaded.routes)
    assert count_items(aws, "NumbersTable") == 6
    assert count_items(aws, "ContractorsTable") == 5
    assert "Applied" in capsys.readouterr().out


def test_second_apply_changes_nothing(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    main(["config", "apply", str(EXAMPLE_CONFIG)])
    capsys.readouterr()
    assert main(["config", "apply", str(EXAMPLE_CONFIG)]) == 0
    assert "No changes: the tables already match" in capsys.readouterr().out


def test_dry_run_writes_nothing(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "apply", str(EXAMPLE_CONFIG), "--dry-run"]) == 0
    output = capsys.readouterr().out
    assert "routes: 320 added" in output
    assert "Dry run: nothing was written." in output
    assert count_items(aws, "RoutesTable") == 0


def test_invalid_config_writes_nothing(aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "agency.yaml"
    broken.write_text(EXAMPLE_CONFIG.read_text().replace("price: 38.50", "price: -38.50"))
    assert main(["config", "apply", str(broken)]) == 2
    assert "negative" in capsys.readouterr().err
    for table in ("RoutesTable", "NumbersTable", "ContractorsTable", "SettingsTable"):
        assert count_items(aws, table) == 0


def test_leading_zero_zip_routes_after_apply(applied_example: Any) -> None:
    route = routes.get_route("hvac", "02134")
    assert route is not None
    assert route["contractor_id"] == "bay-state-hvac"
    assert route["forward_to"] == "+16175550101"
    assert route["time_zone"] == "America/New_York"


def test_transfer_in_config_is_refused_without_flag(applied_example: Any, tmp_path: Path) -> None:
    moved = tmp_path / "agency.yaml"
    text = EXAMPLE_CONFIG.read_text()
    text = text.replace('zips: ["02134", "02135", "02163"', 'zips: ["02135", "02163"')
    text = text.replace('zips: ["85003",', 'zips: ["02134", "85003",')
    # Give hvac 02134 to the plumber's contract? That changes trade; give it to a new hvac contract instead.
    text = EXAMPLE_CONFIG.read_text()
    text = text.replace('zips: ["02134", "02135", "02163"', 'zips: ["02135", "02163"').replace(
        "  - id: cactus-plumbing",
        "  - id: harbor-hvac\n    name: Harbor HVAC\n    email: office@harborhvac.example\n"
        '    phone: "+16175550122"\n    time_zone: America/New_York\n'
        '    business_hours: {mon-fri: "08:00-17:00"}\n    contracts:\n      - id: harbor-boston-hvac\n'
        '        trade: hvac\n        territory: {zips: ["02134"]}\n'
        "        pricing: {model: flat_monthly, monthly_fee: 500.00}\n\n  - id: cactus-plumbing",
    )
    moved.write_text(text)
    loaded = load_config(moved)
    diff = plan(loaded)
    with pytest.raises(ConfigError) as caught:
        check_transfers(loaded, diff, allow_transfer=False)
    assert "hvac in ZIP 02134 is owned by 'bay-state-hvac' in the tables" in caught.value.problems[0]
    assert "gives it to 'harbor-hvac'" in caught.value.problems[0]
    assert routes.get_route("hvac", "02134")["contractor_id"] == "bay-state-hvac"  # type: ignore[index]

    check_transfers(loaded, diff, allow_transfer=True)
    apply_diff(diff)
    assert routes.get_route("hvac", "02134")["contractor_id"] == "harbor-hvac"  # type: ignore[index]


def test_dropped_zip_is_released(applied_example: Any, tmp_path: Path) -> None:
    smaller = tmp_path / "agency.yaml"
    smaller.write_text(EXAMPLE_CONFIG.read_text().replace('"02446", "02445"]', '"02446"]'))
    apply_diff(plan(load_config(smaller)))
    assert routes.get_route("hvac", "02445") is None
    assert routes.get_route("hvac", "02446") is not None


def test_dropped_contractor_is_kept_as_removed(applied_example: Any, tmp_path: Path) -> None:
    text = EXAMPLE_CONFIG.read_text()
    start = text.index("  - id: front-range-electric")
    end = text.index("tracking_numbers:")
    trimmed = text[:start] + text[end:]
    trimmed = trimmed.replace(
        '  - number: "+13035550100"\n    trade: electrical\n    site: Denver Electricians\n'
        '    zip: "80202"\n',
        "",
    )
    path = tmp_path / "agency.yaml"
    path.write_text(trimmed)
    apply_diff(plan(load_config(path)))
    contractor = config_tables.get_contractor("front-range-electric")
    assert contractor is not None
    assert contractor["status"] == "removed"
    assert routes.get_route("electrical", "80202") is None
    assert config_tables.get_tracking_number("+13035550100") is None


def test_paused_contractor_is_copied_to_routes(applied_example: Any) -> None:
    route = routes.get_route("electrical", "80202")
    assert route is not None
    assert route["paused"] is True
