"""Outcome API keys: the SHA-256 of each key, stored in the settings table.

An item ``{"setting": "apikey#<sha256 hex>", "kind": "api_key", "contractor_id", "key_sha256",
"created_at"}`` maps a key's hash to its contractor, so a request is authenticated with one
GetItem. The key itself is never stored. ``leadline config apply`` leaves these items alone.
"""

from typing import Any

from botocore.exceptions import ClientError

from leadline.storage import config_tables, dynamo

API_KEY_PREFIX = "apikey#"
API_KEY_KIND = "api_key"


def put_key_hash(key_sha256: str, contractor_id: str, created_at: str) -> None:
    """Store a key hash. Raises ValueError if the hash is stored already (a reused key)."""
    item = {
        "setting": API_KEY_PREFIX + key_sha256,
        "kind": API_KEY_KIND,
        "contractor_id": contractor_id,
        "key_sha256": key_sha256,
        "created_at": created_at,
    }
    try:
        dynamo.client().put_item(
            TableName=dynamo.tables().settings,
            Item=dynamo.to_item(item),
            ConditionExpression="attribute_not_exists(setting)",
        )
    except ClientError as error:
        if dynamo.is_conditional_check_failure(error):
            raise ValueError("this API key is stored already; issue a new one") from error
        raise


def get_key_hash(key_sha256: str) -> dict[str, Any] | None:
    return config_tables.get_setting(API_KEY_PREFIX + key_sha256)


def key_hashes_for_contractor(contractor_id: str) -> list[str]:
    """Return the key hashes of one contractor. Scans the settings table: for the CLI only."""
    return [
        str(record["key_sha256"])
        for record in config_tables.scan_records("settings")
        if record.get("kind") == API_KEY_KIND and record.get("contractor_id") == contractor_id
    ]


def delete_key_hash(key_sha256: str) -> None:
    config_tables.delete_record("settings", API_KEY_PREFIX + key_sha256)


def is_api_key_setting(setting: str) -> bool:
    return setting.startswith(API_KEY_PREFIX)
