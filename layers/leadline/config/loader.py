"""Load an agency config file: parse, validate every entry, then check the file as a whole.

Every problem is collected before anything is reported, and each message names the file, the
line, the entry and the fix. Nothing here writes to AWS.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from leadline.config import territories
from leadline.config.schema import AgencyConfig, Contract, LeadRules
from leadline.config.yaml_source import load_yaml
from leadline.errors import ConfigError


@dataclass(frozen=True)
class RouteSlot:
    trade: str
    zip: str
    contractor_id: str
    contract_id: str


@dataclass(frozen=True)
class LoadedConfig:
    source: str
    config: AgencyConfig
    routes: dict[tuple[str, str], RouteSlot]
    warnings: list[str]


def _describe(data: Any, loc: tuple[Any, ...]) -> str:
    """Render a pydantic error location as ``contractors[1] (acme-roofing).contracts[0].price``."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                entry_id = node[key].get("id") or node[key].get("number") or node[key].get("name")
                if entry_id is not None:
                    label += f" ({entry_id})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(key))
        node = node[key] if isinstance(node, (dict, list)) and _has(node, key) else None
    return "".join(parts) or "<file>"


def _has(node: Any, key: Any) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(key, int) and key < len(node)


def _line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _file_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the tags pydantic adds for a tagged union (``pricing.per_lead.price``), which are not keys."""
    path: list[Any] = []
    node = data
    for key in loc:
        if isinstance(node, dict) and isinstance(key, str) and key not in node and key in node.values():
            continue
        path.append(key)
        node = node[key] if isinstance(node, (dict, list)) and _has(node, key) else None
    return tuple(path)


def _message(
    source: str, lines: dict[tuple[Any, ...], int], data: Any, loc: tuple[Any, ...], text: str
) -> str:
    loc = _file_path(data, loc)
    line = _line(lines, loc)
    where = f"{source}:{line}" if line else source
    return f"{where}: {_describe(data, loc)}: {text}"


def _pydantic_text(error: dict[str, Any]) -> str:
    text = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown field; check its spelling against examples/agency.yaml"
    if error["type"] == "missing":
        return "required field is missing"
    return text


def expand_territory(contract: Contract) -> list[str]:
    zips = set(contract.territory.zips)
    for county in contract.territory.counties:
        zips.update(territories.zips_for_county(county))
    for state in contract.territory.states:
        zips.update(territories.zips_for_state(state))
    return sorted(zips - set(contract.territory.exclude_zips))


def effective_rules(agency_rules: LeadRules, contract: Contract) -> LeadRules:
    overrides = contract.lead_rules.model_dump(exclude_none=True)
    return agency_rules.model_copy(update=overrides)


def load_config(path: str | Path) -> LoadedConfig:
    """Load and validate a config file. Raises ConfigError listing every problem found."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(source, [f"{source}: cannot read the file: {error.strerror}"]) from None
    try:
        data, lines = load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(source, [f"{where}: invalid YAML: {problem}"]) from None
    if not isinstance(data, dict):
        expected = "expected a mapping with agency, sites, contractors and tracking_numbers"
        raise ConfigError(source, [f"{source}: {expected}"])

    try:
        config = AgencyConfig.model_validate(data)
    except ValidationError as error:
        problems = [
            _message(source, lines, data, tuple(e["loc"]), _pydantic_text(dict(e)))
            for e in error.errors()
        ]
        raise ConfigError(source, problems) from None

    def message(loc: tuple[Any, ...], text: str) -> str:
        return _message(source, lines, data, loc, text)

    problems, warnings, routes = _check_whole_file(config, message)
    if problems:
        raise ConfigError(source, problems)
    return LoadedConfig(source=source, config=config, routes=routes, warnings=warnings)


def _check_whole_file(
    config: AgencyConfig, message: Any
) -> tuple[list[str], list[str], dict[tuple[str, str], RouteSlot]]:
    """Check rules that span entries. Returns problems, warnings and the expanded routes."""
    problems: list[str] = []
    warnings: list[str] = []
    routes: dict[tuple[str, str], RouteSlot] = {}

    seen_contractors: set[str] = set()
    seen_contracts: set[str] = set()
    for c_index, contractor in enumerate(config.contractors):
        if contractor.id in seen_contractors:
            duplicate = f"duplicate contractor id {contractor.id!r}; ids must be unique"
            problems.append(message(("contractors", c_index, "id"), duplicate))
        seen_contractors.add(contractor.id)
        for k_index, contract in enumerate(contractor.contracts):
            loc: tuple[Any, ...] = ("contractors", c_index, "contracts", k_index)
            if contract.id in seen_contracts:
                problems.append(message(
                    (*loc, "id"), f"duplicate contract id {contract.id!r}; ids must be unique"
                ))
            seen_contracts.add(contract.id)
            try:
                zips = expand_territory(contract)
            except ValueError as error:
                problems.append(message((*loc, "territory"), str(error)))
                continue
            for zip_code in zips:
                key = (contract.trade, zip_code)
                owner = routes.get(key)
                if owner and owner.contractor_id != contractor.id:
                    problems.append(message(
                        (*loc, "territory"),
                        f"{contract.trade} in ZIP {zip_code} is given to both {owner.contractor_id!r} "
                        f"(contract {owner.contract_id}) and {contractor.id!r} (contract {contract.id}); "
                        "leads are exclusive, so remove it from one of them",
                    ))
                    continue
                if owner and owner.contract_id != contract.id:
                    problems.append(message(
                        (*loc, "territory"),
                        f"{contract.trade} in ZIP {zip_code} is in two contracts of {contractor.id!r} "
                        f"({owner.contract_id} and {contract.id}); keep it in one so its price is clear",
                    ))
                    continue
                routes[key] = RouteSlot(contract.trade, zip_code, contractor.id, contract.id)

    site_names = {site.name for site in config.sites}
    if len(site_names) != len(config.sites):
        problems.append(message(("sites",), "site names must be unique"))
    seen_numbers: set[str] = set()
    for n_index, number in enumerate(config.tracking_numbers):
        number_loc = ("tracking_numbers", n_index)
        if number.number in seen_numbers:
            problems.append(message((*number_loc, "number"), f"duplicate tracking number {number.number}"))
        seen_numbers.add(number.number)
        if number.site not in site_names:
            known = ", ".join(sorted(site_names)) or "none defined"
            unknown = f"unknown site {number.site!r}; define it under sites (known: {known})"
            problems.append(message((*number_loc, "site"), unknown))
        fixed_zip = number.zip or number.default_zip
        if fixed_zip and (number.trade, fixed_zip) not in routes:
            warnings.append(message(
                number_loc,
                f"nobody owns {number.trade} in ZIP {fixed_zip}; its calls go to the agency fallback",
            ))
    return problems, warnings, routes

