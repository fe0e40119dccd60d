"""Evaluate the IAM policies of a translated (plain CloudFormation) template, for tests.

Intrinsic functions are rendered into example ARNs: account 123456789012, region us-east-1,
each table named after its logical id, each parameter its Default (or a value from
``parameter_values``). A statement allows an action on a resource when both match its
patterns, IAM-style (``*`` and ``?`` wildcards, actions case-insensitive).

NOTE: Condition blocks, NotAction, NotResource, permission boundaries and resource policies
are not evaluated. A Deny statement that matches makes the action denied.
"""

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
PARTITION = "aws"
PSEUDO_PARAMETERS = {
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::Partition": PARTITION,
    "AWS::StackName": "leadline",
    "AWS::URLSuffix": "amazonaws.com",
}
SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]


class TemplateRenderer:
    """Render intrinsic functions of one template into example strings."""

    def __init__(self, template: dict[str, Any], parameter_values: dict[str, str] | None = None) -> None:
        self.resources: dict[str, Any] = template.get("Resources", {})
        self.parameters: dict[str, str] = {
            name: str(spec.get("Default", f"<{name}>"))
            for name, spec in template.get("Parameters", {}).items()
        }
        self.parameters.update(parameter_values or {})

    def ref(self, name: str) -> str:
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        if name in self.parameters:
            return self.parameters[name]
        resource_type = self.resources.get(name, {}).get("Type", "")
        if resource_type == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
        if resource_type in ("AWS::SNS::Topic",):
            return self.arn(name)
        return name

    def arn(self, name: str) -> str:
        resource_type = self.resources.get(name, {}).get("Type", "")
        kinds = {
            "AWS::DynamoDB::Table": f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{name}",
            "AWS::SQS::Queue": f"arn:{PARTITION}:sqs:{REGION}:{ACCOUNT}:{name}",
            "AWS::SNS::Topic": f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:{name}",
            "AWS::Lambda::Function": f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{name}",
            "AWS::IAM::Role": f"arn:{PARTITION}:iam::{ACCOUNT}:role/{name}",
        }
        return kinds.get(resource_type, f"arn:{PARTITION}:unknown:{REGION}:{ACCOUNT}:{name}")

    def get_att(self, name: str, attribute: str) -> str:
        if attribute == "Arn":
            return self.arn(name)
        if attribute == "QueueName":
            return name
        if attribute == "QueueUrl":
            return self.ref(name)
        return f"<{name}.{attribute}>"

    def render(self, value: Any, variables: dict[str, str] | None = None) -> Any:
        """Return ``value`` with every intrinsic function replaced by its example value."""
        if isinstance(value, list):
            return [self.render(item, variables) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) != 1:
            return {key: self.render(item, variables) for key, item in value.items()}
        ((function, argument),) = value.items()
        if function == "Ref":
            return self.ref(argument)
        if function == "Fn::GetAtt":
            name, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return self.get_att(name, attribute)
        if function == "Fn::Sub":
            return self.substitute(argument)
        if function == "Fn::Join":
            separator, items = argument
            return separator.join(str(self.render(item, variables)) for item in items)
        if function == "Fn::Select":
            index, items = argument
            return self.render(items, variables)[int(index)]
        if function == "Fn::Split":
            separator, text = argument
            return str(self.render(text, variables)).split(separator)
        if function == "Fn::If":
            _, when_true, _ = argument
            return self.render(when_true, variables)
        return {key: self.render(item, variables) for key, item in value.items()}

    def substitute(self, argument: str | list[Any]) -> str:
        if isinstance(argument, list):
            text, mapping = argument
            variables = {key: str(self.render(item)) for key, item in mapping.items()}
        else:
            text, variables = argument, {}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return variables[name]
            if "." in name and name.split(".", 1)[0] in self.resources:
                resource, attribute = name.split(".", 1)
                return self.get_att(resource, attribute)
            return self.ref(name)

        return SUB_VARIABLE.sub(replace, text)


def role_statements(template: dict[str, Any], role_id: str, renderer: TemplateRenderer) -> list[Statement]:
    """Return the statements of a role's inline policies and of AWS::IAM::Policy resources on it."""
    resources = template["Resources"]
    documents = [policy["PolicyDocument"] for policy in resources[role_id]["Properties"].get("Policies", [])]
    for resource in resources.values():
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            roles = resource["Properties"].get("Roles", [])
            if {"Ref": role_id} in roles:
                documents.append(resource["Properties"]["PolicyDocument"])
    managed = resources[role_id]["Properties"].get("ManagedPolicyArns", [])
    for policy in managed:
        if isinstance(policy, dict) and "Ref" in policy and policy["Ref"] in resources:
            documents.append(resources[policy["Ref"]]["Properties"]["PolicyDocument"])

    statements = []
    for document in documents:
        raw_statements = document["Statement"]
        for raw in raw_statements if isinstance(raw_statements, list) else [raw_statements]:
            rendered = renderer.render(raw)
            statements.append(
                Statement(
                    effect=rendered["Effect"],
                    actions=tuple(as_list(rendered.get("Action", []))),
                    resources=tuple(str(item) for item in as_list(rendered.get("Resource", []))),
                )
            )
    return statements


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def matches(pattern: str, value: str, *, case_sensitive: bool = True) -> bool:
    if not case_sensitive:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern)


def is_allowed(statements: list[Statement], action: str, resource: str) -> bool:
    """Return True when an Allow matches ``action`` on ``resource`` and no Deny does."""

    def applies(statement: Statement) -> bool:
        return any(matches(pattern, action, case_sensitive=False) for pattern in statement.actions) and any(
            matches(pattern, resource) for pattern in statement.resources
        )

    if any(statement.effect == "Deny" and applies(statement) for statement in statements):
        return False
    return any(statement.effect == "Allow" and applies(statement) for statement in statements)


def function_role_id(template: dict[str, Any], function_id: str) -> str:
    """Return the logical id of the role a translated AWS::Lambda::Function runs with."""
    role = template["Resources"][function_id]["Properties"]["Role"]
    if isinstance(role, dict) and "Fn::GetAtt" in role:
        target = role["Fn::GetAtt"]
        return str(target[0] if isinstance(target, list) else target.split(".")[0])
    raise ValueError(f"{function_id}: Role {role!r} is not a role of this template")
