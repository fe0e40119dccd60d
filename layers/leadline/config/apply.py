"""Apply a validated config to the tables: diff first, refuse to break exclusivity, then write.

Apply is idempotent: records equal to what the config describes are not written again, so a
second apply reports no changes. Contractors dropped from the config are kept with status
``removed`` because their leads and reports still refer to them. Numbers, routes and sites
dropped from the config are deleted. Outcome API key hashes in the settings table are not
part of the config, so apply neither lists nor deletes them.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from leadline.config.loader import LoadedConfig
from leadline.config.records import Records, desired_records
from leadline.errors import ConfigError
from leadline.storage import api_keys as key_store
from leadline.storage import config_tables
from leadline.storage import routes as route_store

TABLE_ORDER = ("settings", "contractors", "numbers", "routes")
_WRITE_THREADS = 8


@dataclass
class TableDiff:
    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    removed: dict[str, dict[str, Any]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class ConfigDiff:
    tables: dict[str, TableDiff]
    transfers: list[tuple[str, str, str, str]]

    def is_empty(self) -> bool:
        return all(diff.is_empty() for diff in self.tables.values())


def current_records() -> Records:
    current: Records = {}
    for table, key in config_tables.KEY_ATTRIBUTES.items():
        current[table] = {str(record[key]): record for record in config_tables.scan_records(table)}
    current["settings"] = {
        key: record for key, record in current["settings"].items() if not key_store.is_api_key_setting(key)
    }
    current["routes"] = {f"{r['trade']}#{r['zip']}": r for r in route_store.scan_routes()}
    return current


def compute_diff(desired: Records, current: Records) -> ConfigDiff:
    tables: dict[str, TableDiff] = {}
    for table in TABLE_ORDER:
        want, have = desired[table], current.get(table, {})
        diff = TableDiff()
        for key, record in want.items():
            if key not in have:
                diff.added[key] = record
            elif _comparable(have[key]) != _comparable(record):
                diff.changed[key] = (have[key], record)
        for key, record in have.items():
            if key in want:
                continue
            if table == "contractors":
                if record.get("status") != "removed":
                    diff.changed[key] = (record, {**record, "status": "removed"})
            else:
                diff.removed[key] = record
        tables[table] = diff

    transfers = [
        (new["trade"], new["zip"], old["contractor_id"], new["contractor_id"])
        for old, new in tables["routes"].changed.values()
        if old["contractor_id"] != new["contractor_id"]
    ]
    return ConfigDiff(tables=tables, transfers=transfers)


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if value is not None}


def plan(loaded: LoadedConfig) -> ConfigDiff:
    return compute_diff(desired_records(loaded), current_records())


def check_transfers(loaded: LoadedConfig, diff: ConfigDiff, *, allow_transfer: bool) -> None:
    """Raise ConfigError listing every slot the config moves between contractors."""
    if allow_transfer or not diff.transfers:
        return
    problems = [
        f"{loaded.source}: {trade} in ZIP {zip_code} is owned by {old!r} in the tables, and the "
        f"config gives it to {new!r}; leads are exclusive, so pass --allow-transfer to move it"
        for trade, zip_code, old, new in diff.transfers
    ]
    raise ConfigError(loaded.source, problems)


def apply_diff(diff: ConfigDiff) -> None:
    """Write a diff. Route writes are conditional, so a concurrent owner change still fails."""
    for table in ("settings", "contractors", "numbers"):
        table_diff = diff.tables[table]
        for record in list(table_diff.added.values()) + [new for _, new in table_diff.changed.values()]:
            config_tables.put_record(table, record)
        for key in table_diff.removed:
            config_tables.delete_record(table, key)

    routes = diff.tables["routes"]
    transfers = {(trade, zip_code): old for trade, zip_code, old, _ in diff.transfers}

    def write_route(record: dict[str, Any]) -> None:
        previous_owner = transfers.get((record["trade"], record["zip"]))
        if previous_owner:
            route_store.transfer_route(record, previous_owner)
        else:
            route_store.assign_route(record)

    with ThreadPoolExecutor(max_workers=_WRITE_THREADS) as pool:
        writes = list(routes.added.values()) + [new for _, new in routes.changed.values()]
        list(pool.map(write_route, writes))
        list(pool.map(
            lambda r: route_store.release_route(r["trade"], r["zip"], r["contractor_id"]),
            routes.removed.values(),
        ))


def describe_diff(diff: ConfigDiff, *, limit: int = 20) -> list[str]:
    """Return the diff as lines for a terminal: + added, ~ changed (with fields), - removed."""
    lines: list[str] = []
    for table in TABLE_ORDER:
        table_diff = diff.tables[table]
        if table_diff.is_empty():
            continue
        lines.append(
            f"{table}: {len(table_diff.added)} added, {len(table_diff.changed)} changed, "
            f"{len(table_diff.removed)} removed"
        )
        entries = [f"  + {_label(table, r)}" for r in table_diff.added.values()]
        for old, new in table_diff.changed.values():
            fields = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            entries.append(f"  ~ {_label(table, new)}: {', '.join(fields)}")
        entries += [f"  - {_label(table, r)}" for r in table_diff.removed.values()]
        lines += entries[:limit]
        if len(entries) > limit:
            lines.append(f"  ... and {len(entries) - limit} more")
    return lines


def _label(table: str, record: dict[str, Any]) -> str:
    if table == "routes":
        return f"{record['trade']} {record['zip']} -> {record['contractor_id']}"
    if table == "numbers":
        return f"{record['phone_number']} ({record['trade']}, {record['site']})"
    if table == "contractors":
        return str(record["contractor_id"])
    return str(record["setting"])
