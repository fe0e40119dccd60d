"""The config loader: every error names the file, line, entry and fix; nothing else is needed."""

from decimal import Decimal
from pathlib import Path

import pytest

from leadline.config.loader import load_config
from leadline.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agency.yaml"

MINIMAL = """\
agency:
  name: Test Agency
  operator_email: ops@agency.example
  sender_email: reports@agency.example
  fallback_number: "+15125550199"
  time_zone: America/Chicago
  lead_rules: {version: "v1"}
sites:
  - name: Boston HVAC
    trade: hvac
    url: https://bostonhvac.example
    thank_you_url: https://bostonhvac.example/thanks
contractors:
  - id: bay-state-hvac
    name: Bay State HVAC
    email: office@baystate.example
    phone: "+16175550101"
    time_zone: America/New_York
    business_hours: {mon-fri: "08:00-17:00"}
    contracts:
      - id: bay-state-boston
        trade: hvac
        territory: {zips: ["02134", "02135"]}
        pricing: {model: per_lead, price: 45.10}
tracking_numbers:
  - number: "+16175550100"
    trade: hvac
    site: Boston HVAC
    zip: "02134"
"""

SECOND_CONTRACTOR = """\
  - id: rival-hvac
    name: Rival HVAC
    email: office@rival.example
    phone: "+16175550111"
    time_zone: America/New_York
    business_hours: {mon-fri: "08:00-17:00"}
    contracts:
      - id: rival-boston
        trade: hvac
        territory: {zips: ["02135"]}
        pricing: {model: flat_monthly, monthly_fee: 900}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agency.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return caught.value.problems


def test_example_config_is_valid() -> None:
    loaded = load_config(EXAMPLE)
    assert {c.id for c in loaded.config.contractors} >= {"lone-star-roofing", "bay-state-hvac"}


def test_county_territory_expands_to_zips() -> None:
    loaded = load_config(EXAMPLE)
    dallas = {
        zip_code
        for (_, zip_code), slot in loaded.routes.items()
        if slot.contract_id == "lone-star-dallas-roofing"
    }
    assert "75201" in dallas
    assert len(dallas) > 100


def test_price_is_exact_decimal(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, MINIMAL))
    pricing = loaded.config.contractors[0].contracts[0].pricing
    assert pricing.price == Decimal("45.10")
    assert str(pricing.price) == "45.10"


def test_leading_zero_zip_routes_as_string(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, MINIMAL))
    assert ("hvac", "02134") in loaded.routes


def test_unquoted_leading_zero_zip_says_to_quote(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, MINIMAL.replace('zips: ["02134", "02135"]', "zips: [02134, 02135]"))
    assert len(problems) == 2
    assert "agency.yaml:23" in problems[0]
    assert "contractors[0] (bay-state-hvac).contracts[0] (bay-state-boston).territory.zips[0]" in problems[0]
    assert 'octal number 1116; write it as "02134"' in problems[0]


def test_unknown_trade_lists_trades(tmp_path: Path) -> None:
    text = MINIMAL.replace("trade: hvac\n        territory", "trade: landscaping\n        territory")
    problems = problems_for(tmp_path, text)
    assert len(problems) == 1
    assert "contracts[0] (bay-state-boston).trade" in problems[0]
    assert "unknown trade 'landscaping'; use one of: roofing, hvac, plumbing, electrical" in problems[0]


def test_bad_zip_is_named(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, MINIMAL.replace('zip: "02134"', 'zip: "0213"'))
    assert "tracking_numbers[0] (+16175550100).zip" in problems[0]
    assert "ZIP '0213' is invalid; expected exactly 5 digits" in problems[0]


def test_duplicate_owner_names_both_contractors(tmp_path: Path) -> None:
    text = MINIMAL.replace("tracking_numbers:", SECOND_CONTRACTOR + "tracking_numbers:")
    problems = problems_for(tmp_path, text)
    assert len(problems) == 1
    assert "hvac in ZIP 02135 is given to both 'bay-state-hvac'" in problems[0]
    assert "and 'rival-hvac'" in problems[0]
    assert "remove it from one of them" in problems[0]


def test_malformed_phone_is_named(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, MINIMAL.replace('phone: "+16175550101"', 'phone: "617-555"'))
    assert "contractors[0] (bay-state-hvac).phone" in problems[0]
    assert "E.164" in problems[0]


def test_negative_price_is_rejected(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, MINIMAL.replace("price: 45.10", "price: -45.10"))
    assert "agency.yaml:24: " in problems[0]
    assert "contracts[0] (bay-state-boston).pricing.price: " in problems[0]
    assert "amount -45.10 is negative; prices and fees must be 0 or more" in problems[0]


def test_price_error_points_at_its_own_line(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "pricing: {model: per_lead, price: 45.10}",
        "pricing:\n          model: per_lead\n          price: 45.105",
    )
    problems = problems_for(tmp_path, text)
    assert "agency.yaml:26: " in problems[0]
    assert "pricing.price: amount 45.105 has fractions of a cent" in problems[0]


def test_unknown_time_zone_is_rejected(tmp_path: Path) -> None:
    text = MINIMAL.replace("time_zone: America/New_York", "time_zone: America/Bostn")
    problems = problems_for(tmp_path, text)
    assert "contractors[0] (bay-state-hvac).time_zone" in problems[0]
    assert "unknown time zone 'America/Bostn'; use an IANA name" in problems[0]


def test_unknown_field_is_rejected(tmp_path: Path) -> None:
    text = MINIMAL.replace("    name: Bay State HVAC\n", "    name: Bay State HVAC\n    colour: red\n")
    problems = problems_for(tmp_path, text)
    assert "contractors[0] (bay-state-hvac).colour: unknown field" in problems[0]


def test_unknown_county_suggests_names(tmp_path: Path) -> None:
    misspelled_county = 'territory: {counties: ["Sufolk County, MA"]}'
    text = MINIMAL.replace('territory: {zips: ["02134", "02135"]}', misspelled_county)
    problems = problems_for(tmp_path, text)
    assert "county 'Sufolk County, MA' is not in the zipcodes data set" in problems[0]


def test_number_needs_known_site(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, MINIMAL.replace("site: Boston HVAC", "site: Boston Heating"))
    assert "tracking_numbers[0] (+16175550100).site: unknown site 'Boston Heating'; define it under sites" in problems[0]


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = MINIMAL.replace("price: 45.10", "price: -1")
    text = text.replace("time_zone: America/New_York", "time_zone: Mars/Olympus")
    assert len(problems_for(tmp_path, text)) == 2


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, MINIMAL.replace("  name: Test Agency", "  name: [Test Agency"))
    assert problems[0].startswith(f"{tmp_path / 'agency.yaml'}:")
    assert "invalid YAML" in problems[0]
