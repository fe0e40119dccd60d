"""The table records that a validated config describes.

Route records carry a copy of the owner's dial settings (forward-to number, time zone, hours,
after-hours choice, paused flag) so the voice webhook can route a call with one read. Applying
the config rewrites those copies whenever the contractor changes.
"""

from typing import Any

from leadline.config.loader import LoadedConfig, effective_rules

Records = dict[str, dict[str, dict[str, Any]]]

AGENCY_SETTING = "agency"
SITE_SETTING_PREFIX = "site#"


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="python")


def desired_records(loaded: LoadedConfig) -> Records:
    """Return every record by table and key: numbers, contractors, routes and settings."""
    config = loaded.config
    agency = config.agency
    sites = {site.name: site for site in config.sites}

    settings = {AGENCY_SETTING: {"setting": AGENCY_SETTING, **_dump(agency)}}
    for site in config.sites:
        key = SITE_SETTING_PREFIX + site.name
        settings[key] = {"setting": key, "kind": "site", **_dump(site)}

    contractors: dict[str, dict[str, Any]] = {}
    for contractor in config.contractors:
        record = _dump(contractor)
        record["contractor_id"] = record.pop("id")
        record["status"] = "paused" if contractor.paused else "active"
        for contract, stored in zip(contractor.contracts, record["contracts"], strict=True):
            stored["lead_rules"] = _dump(effective_rules(agency.lead_rules, contract))
        contractors[contractor.id] = record

    routes: dict[str, dict[str, Any]] = {}
    for (trade, zip_code), slot in loaded.routes.items():
        owner = contractors[slot.contractor_id]
        routes[f"{trade}#{zip_code}"] = route_record(owner, trade, zip_code, slot.contract_id)

    numbers: dict[str, dict[str, Any]] = {}
    for number in config.tracking_numbers:
        site = sites[number.site]
        numbers[number.number] = {
            "phone_number": number.number,
            "trade": number.trade,
            "site": site.name,
            "site_url": site.url,
            "zip": number.zip,
            "ask_zip": number.ask_zip,
            "default_zip": number.default_zip,
            "record_calls": number.record_calls,
            "recording_disclosure": number.recording_disclosure,
            "fallback_number": agency.fallback_number,
        }

    return {"settings": settings, "contractors": contractors, "routes": routes, "numbers": numbers}


def route_record(contractor: dict[str, Any], trade: str, zip_code: str, contract_id: str) -> dict[str, Any]:
    """Return the route item for one slot, from a stored contractor record."""
    contract_ids = {c["id"] for c in contractor["contracts"] if c["trade"] == trade}
    if contract_id not in contract_ids:
        raise ValueError(
            f"contract {contract_id!r} is not a {trade} contract of {contractor['contractor_id']!r}; "
            f"use one of: {', '.join(sorted(contract_ids)) or 'none'}"
        )
    return {
        "trade": trade,
        "zip": zip_code,
        "contractor_id": contractor["contractor_id"],
        "contract_id": contract_id,
        "contractor_name": contractor["name"],
        "forward_to": contractor["phone"],
        "sms_phone": contractor.get("sms_phone") or contractor["phone"],
        "time_zone": contractor["time_zone"],
        "business_hours": dict(contractor["business_hours"]),
        "after_hours": contractor["after_hours"],
        "ring_timeout_seconds": contractor["ring_timeout_seconds"],
        "text_back": contractor["text_back"],
        "paused": contractor["paused"],
    }
