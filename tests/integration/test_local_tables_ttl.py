"""Tables created from a template get the TTL its TimeToLiveSpecification declares."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadline.local import aws as local_aws
from leadline.local.template import table_definitions, time_to_live_attributes

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ttl_template.yaml"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3
    from moto import mock_aws

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name, value in local_aws.LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(local_aws, "table_definitions", lambda: table_definitions(FIXTURE))
    monkeypatch.setattr(local_aws, "time_to_live_attributes", lambda: time_to_live_attributes(FIXTURE))
    with mock_aws():
        yield boto3.client("dynamodb", region_name=local_aws.LOCAL_REGION)


def test_ttl_attributes_read_from_template() -> None:
    assert time_to_live_attributes(FIXTURE) == {"ExpiringTable": "expiration"}


def test_create_tables_enables_ttl(dynamodb: Any) -> None:
    local_aws.create_tables(dynamodb)

    description = dynamodb.describe_time_to_live(TableName="ExpiringTable")["TimeToLiveDescription"]
    assert description["TimeToLiveStatus"] == "ENABLED"
    assert description["AttributeName"] == "expiration"


def test_create_tables_leaves_ttl_off(dynamodb: Any) -> None:
    local_aws.create_tables(dynamodb)

    description = dynamodb.describe_time_to_live(TableName="PermanentTable")["TimeToLiveDescription"]
    assert description["TimeToLiveStatus"] == "DISABLED"
