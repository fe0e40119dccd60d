"""Settings records keep their table key (``setting``) beside the agency's and sites' own ``name``."""

from leadline.config.loader import load_config
from leadline.config.records import AGENCY_SETTING, SITE_SETTING_PREFIX, desired_records
from tests.conftest import EXAMPLE_CONFIG


def test_settings_records_keep_their_keys() -> None:
    settings = desired_records(load_config(EXAMPLE_CONFIG))["settings"]

    for key, record in settings.items():
        assert record["setting"] == key


def test_agency_record_keeps_its_name() -> None:
    settings = desired_records(load_config(EXAMPLE_CONFIG))["settings"]

    agency = settings[AGENCY_SETTING]
    assert agency["name"] == "Porchlight Local Leads"
    assert agency["fallback_number"] == "+15125550199"


def test_site_record_keeps_its_name() -> None:
    settings = desired_records(load_config(EXAMPLE_CONFIG))["settings"]

    site = settings[SITE_SETTING_PREFIX + "Dallas Roof Pros"]
    assert site["name"] == "Dallas Roof Pros"
    assert site["kind"] == "site"
