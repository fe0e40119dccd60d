"""`leadline config apply --stack` and `routes transfer --stack` against a stack created in moto.

The stack's tables and table-name outputs come from template.yaml itself, so the test fails
when the template stops naming a table in its outputs.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest

from leadline import cli
from leadline.deployment import table_output_keys
from leadline.local.aws import LOCAL_CREDENTIALS, LOCAL_REGION
from leadline.local.template import load_template, table_definitions
from leadline.settings import TABLE_ENV_VARS
from leadline.storage import dynamo
from tests.conftest import EXAMPLE_CONFIG

STACK = "leadline-test"


def stack_template(sender_email: str) -> dict[str, Any]:
    """Return a plain CloudFormation template with template.yaml's tables and table outputs."""
    resources = {}
    for logical_id, arguments in table_definitions().items():
        properties = {key: value for key, value in arguments.items() if key != "TableName"}
        resources[logical_id] = {"Type": "AWS::DynamoDB::Table", "Properties": properties}
    table_outputs = set(table_output_keys().values())
    outputs = {key: value for key, value in load_template()["Outputs"].items() if key in table_outputs}
    outputs["SenderEmail"] = {"Value": sender_email}
    return {"Resources": resources, "Outputs": outputs}


@pytest.fixture
def cloudformation(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Moto with no tables yet; the table environment variables are unset, as on an operator's laptop."""
    import boto3
    from moto import mock_aws

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for variable in TABLE_ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    with mock_aws():
        yield boto3.client("cloudformation", region_name=LOCAL_REGION)
        dynamo.set_client(None)


def create_stack(client: Any, template: dict[str, Any]) -> dict[str, str]:
    client.create_stack(StackName=STACK, TemplateBody=json.dumps(template))
    outputs = client.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"]
    return {output["OutputKey"]: output["OutputValue"] for output in outputs}


def scan_count(table_name: str) -> int:
    import boto3

    client = boto3.client("dynamodb", region_name=LOCAL_REGION)
    return int(client.scan(TableName=table_name, Select="COUNT")["Count"])


def test_apply_stack_writes_stack_tables(cloudformation: Any, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = create_stack(cloudformation, stack_template("reports@porchlight-leads.example"))

    code = cli.main(["config", "apply", str(EXAMPLE_CONFIG), "--stack", STACK, "--region", LOCAL_REGION])

    assert code == 0, capsys.readouterr().err
    assert outputs["NumbersTableName"].startswith(f"{STACK}-NumbersTable-")
    assert scan_count(outputs["NumbersTableName"]) > 0
    assert scan_count(outputs["ContractorsTableName"]) > 0
    assert scan_count(outputs["RoutesTableName"]) > 0
    assert scan_count(outputs["SettingsTableName"]) > 0
    assert "warning: the config's sender_email" not in capsys.readouterr().out


def test_apply_stack_second_run_no_changes(cloudformation: Any, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = create_stack(cloudformation, stack_template("reports@porchlight-leads.example"))
    arguments = ["config", "apply", str(EXAMPLE_CONFIG), "--stack", STACK, "--region", LOCAL_REGION]
    assert cli.main(arguments) == 0
    settings_count = scan_count(outputs["SettingsTableName"])
    capsys.readouterr()

    assert cli.main(arguments) == 0

    assert "No changes" in capsys.readouterr().out
    assert scan_count(outputs["SettingsTableName"]) == settings_count


def test_apply_stack_agency_setting_keyed_agency(cloudformation: Any) -> None:
    import boto3

    outputs = create_stack(cloudformation, stack_template("reports@porchlight-leads.example"))
    assert cli.main(["config", "apply", str(EXAMPLE_CONFIG), "--stack", STACK]) == 0

    client = boto3.client("dynamodb", region_name=LOCAL_REGION)
    item = client.get_item(TableName=outputs["SettingsTableName"], Key={"setting": {"S": "agency"}}).get("Item")
    assert item is not None
    assert item["name"] == {"S": "Porchlight Local Leads"}


def test_apply_stack_warns_sender_mismatch(cloudformation: Any, capsys: pytest.CaptureFixture[str]) -> None:
    create_stack(cloudformation, stack_template("someone-else@example.com"))

    code = cli.main(["config", "apply", str(EXAMPLE_CONFIG), "--stack", STACK, "--dry-run"])

    assert code == 0
    out = capsys.readouterr().out
    assert "differs from the stack's SenderEmail someone-else@example.com" in out
    assert "Dry run: nothing was written." in out


def test_apply_missing_stack_exits_2(cloudformation: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["config", "apply", str(EXAMPLE_CONFIG), "--stack", "no-such-stack"])

    assert code == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert "cannot read stack 'no-such-stack' in region us-east-1" in err
    assert "does not exist" in err


def test_apply_stack_missing_outputs_exits_2(cloudformation: Any, capsys: pytest.CaptureFixture[str]) -> None:
    template = stack_template("reports@porchlight-leads.example")
    del template["Outputs"]["LeadsTableName"]
    del template["Outputs"]["RoutesTableName"]
    create_stack(cloudformation, template)

    code = cli.main(["config", "apply", str(EXAMPLE_CONFIG), "--stack", STACK])

    assert code == cli.EXIT_INVALID
    assert "has no output(s) LeadsTableName, RoutesTableName" in capsys.readouterr().err


def test_routes_transfer_stack_reads_stack(cloudformation: Any, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = create_stack(cloudformation, stack_template("reports@porchlight-leads.example"))
    target = ["--stack", STACK, "--region", LOCAL_REGION]
    assert cli.main(["config", "apply", str(EXAMPLE_CONFIG), *target]) == 0
    capsys.readouterr()

    code = cli.main(
        [
            "routes",
            "transfer",
            "--trade",
            "roofing",
            "--zip",
            "00000",
            "--from",
            "a",
            "--to",
            "no-such-contractor",
            "--contract",
            "c",
            *target,
        ]
    )

    assert code == cli.EXIT_INVALID
    assert "contractor 'no-such-contractor' not found" in capsys.readouterr().err
    assert scan_count(outputs["RoutesTableName"]) > 0


def test_template_outputs_name_every_table() -> None:
    outputs = load_template()["Outputs"]

    for field_name, output_key in table_output_keys().items():
        logical_id = output_key.removesuffix("Name")
        assert output_key in outputs, f"template.yaml lacks output {output_key} for TableNames.{field_name}"
        assert outputs[output_key]["Value"] == {"Ref": logical_id}
