"""A deployed Leadline stack, read from its CloudFormation outputs.

template.yaml gives every table an output named ``<logical id>Name`` (``LeadsTableName`` for
``LeadsTable``), so the CLI can write to a deployed stack's tables without anyone copying
generated table names into environment variables.
"""

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from leadline.errors import LeadlineError
from leadline.settings import TableNames

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient

SENDER_EMAIL_OUTPUT = "SenderEmail"


class StackError(LeadlineError):
    """A stack could not be read, or lacks an output the CLI needs."""


@dataclass(frozen=True)
class DeployedStack:
    name: str
    outputs: dict[str, str]
    table_names: TableNames

    @property
    def sender_email(self) -> str | None:
        return self.outputs.get(SENDER_EMAIL_OUTPUT)


def table_output_keys() -> dict[str, str]:
    """Return {TableNames field: output key}, for example {"leads": "LeadsTableName"}."""
    return {field.name: f"{field.default}Name" for field in fields(TableNames)}


def read_stack(stack_name: str, client: "CloudFormationClient") -> DeployedStack:
    """Read a stack's outputs. Raises StackError when the stack or a table output is missing."""
    region = client.meta.region_name
    try:
        stacks = client.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", str(error))
        raise StackError(f"cannot read stack {stack_name!r} in region {region}: {message}") from error
    except BotoCoreError as error:
        raise StackError(f"cannot read stack {stack_name!r} in region {region}: {error}") from error

    outputs = {output["OutputKey"]: output["OutputValue"] for output in stacks[0].get("Outputs", [])}
    keys = table_output_keys()
    missing = sorted(key for key in keys.values() if not outputs.get(key))
    if missing:
        raise StackError(
            f"stack {stack_name!r} has no output(s) {', '.join(missing)}; "
            "deploy the current template.yaml, which names every table in its outputs"
        )
    table_names = TableNames(**{name: outputs[key] for name, key in keys.items()})
    return DeployedStack(name=stack_name, outputs=outputs, table_names=table_names)
