"""Tracking numbers, contractors and agency settings: tables keyed by one string attribute.

Each table's key attribute is fixed by template.yaml: ``phone_number``, ``contractor_id`` and
``setting``. Only ``leadline config apply`` writes these tables.
"""

from typing import Any

from leadline.storage import dynamo

KEY_ATTRIBUTES = {"numbers": "phone_number", "contractors": "contractor_id", "settings": "setting"}


def _table_name(table: str) -> str:
    return str(getattr(dynamo.tables(), table))


def get_record(table: str, key: str) -> dict[str, Any] | None:
    response = dynamo.client().get_item(
        TableName=_table_name(table), Key={KEY_ATTRIBUTES[table]: {"S": key}}
    )
    item = response.get("Item")
    return dynamo.from_item(item) if item else None


def get_tracking_number(phone_number: str) -> dict[str, Any] | None:
    return get_record("numbers", phone_number)


def get_contractor(contractor_id: str) -> dict[str, Any] | None:
    return get_record("contractors", contractor_id)


def get_setting(name: str) -> dict[str, Any] | None:
    return get_record("settings", name)


def put_record(table: str, record: dict[str, Any]) -> None:
    dynamo.client().put_item(TableName=_table_name(table), Item=dynamo.to_item(record))


def delete_record(table: str, key: str) -> None:
    dynamo.client().delete_item(
        TableName=_table_name(table), Key={KEY_ATTRIBUTES[table]: {"S": key}}
    )


def scan_records(table: str) -> list[dict[str, Any]]:
    """Return every record of a table. For config diffs and reports, never on a call."""
    paginator = dynamo.client().get_paginator("scan")
    records: list[dict[str, Any]] = []
    for page in paginator.paginate(TableName=_table_name(table)):
        records.extend(dynamo.from_item(item) for item in page["Items"])
    return records
