"""Read template.yaml: table definitions and API routes, so nothing is declared twice.

CloudFormation short tags (``!Ref``, ``!Sub``, ``!GetAtt`` ...) are read as plain values; only
the literal parts of the template are used here.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"


class _TemplateLoader(yaml.SafeLoader):
    pass


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        raise yaml.YAMLError(f"unexpected YAML node for !{tag_suffix}: {node!r}")
    return {name: value}


_TemplateLoader.add_multi_constructor("!", _intrinsic)


@cache
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_TemplateLoader)  # noqa: S506 - SafeLoader subclass


def table_definitions(path: Path = TEMPLATE_PATH) -> dict[str, dict[str, Any]]:
    """Return ``create_table`` arguments for every AWS::DynamoDB::Table, named by logical id."""
    definitions = {}
    for logical_id, resource in load_template(path)["Resources"].items():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        props = resource["Properties"]
        arguments: dict[str, Any] = {
            "TableName": logical_id,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            arguments["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        definitions[logical_id] = arguments
    return definitions


def time_to_live_attributes(path: Path = TEMPLATE_PATH) -> dict[str, str]:
    """Return the TTL attribute of each table that declares one."""
    ttl = {}
    for logical_id, resource in load_template(path)["Resources"].items():
        spec = resource.get("Properties", {}).get("TimeToLiveSpecification")
        if resource["Type"] == "AWS::DynamoDB::Table" and spec and spec.get("Enabled"):
            ttl[logical_id] = spec["AttributeName"]
    return ttl



def environment_references(path: Path = TEMPLATE_PATH) -> dict[str, str]:
    """Return each function environment variable that is a ``!Ref``, with the logical id it names.

    Variables from Globals and from every function are merged, because the local stack runs all
    handlers in one process with one environment.
    """
    template = load_template(path)
    blocks = [template.get("Globals", {}).get("Function", {})]
    blocks += [
        resource["Properties"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    ]
    references = {}
    for block in blocks:
        variables = block.get("Environment", {}).get("Variables", {})
        for name, value in variables.items():
            if isinstance(value, dict) and "Ref" in value:
                references[name] = value["Ref"]
    return references


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    function_id: str
    code_dir: Path
    handler: str

    def matches(self, method: str, path: str) -> dict[str, str] | None:
        """Return path parameters when this route serves ``method path``, else None."""
        if method.upper() != self.method and self.method != "ANY":
            return None
        want = self.path.strip("/").split("/")
        got = path.strip("/").split("/")
        if len(want) != len(got):
            return None
        parameters = {}
        for pattern, part in zip(want, got, strict=True):
            if pattern.startswith("{") and pattern.endswith("}"):
                if not part:
                    return None
                parameters[pattern[1:-1]] = part
            elif pattern != part:
                return None
        return parameters


def api_routes(path: Path = TEMPLATE_PATH) -> list[ApiRoute]:
    """Return every ``Type: Api`` event of every function in the template."""
    template = load_template(path)
    globals_function = template.get("Globals", {}).get("Function", {})
    routes = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        handler = props.get("Handler", globals_function.get("Handler"))
        code_dir = path.parent / props["CodeUri"]
        for event in props.get("Events", {}).values():
            if event["Type"] == "Api":
                routes.append(ApiRoute(
                    method=event["Properties"]["Method"].upper(),
                    path=event["Properties"]["Path"],
                    function_id=logical_id,
                    code_dir=code_dir,
                    handler=handler,
                ))
    return routes


def binary_media_types(path: Path = TEMPLATE_PATH) -> list[str]:
    """Return the API's BinaryMediaTypes: API Gateway base64-encodes bodies of these types."""
    for resource in load_template(path)["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Api":
            return [t.replace("~1", "/") for t in resource["Properties"].get("BinaryMediaTypes", [])]
    return []
