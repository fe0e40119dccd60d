"""Shared fixtures: an in-process moto AWS whose tables come from template.yaml."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadline.local.aws import (
    LOCAL_CREDENTIALS,
    LOCAL_REGION,
    create_tables,
    resource_environment,
)
from leadline.local.queues import ensure_queues
from leadline.settings import TableNames
from leadline.storage import dynamo

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = PROJECT_ROOT / "examples" / "agency.yaml"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Moto in-process, tables and queues created from template.yaml, storage pointed at them."""
    import boto3
    from moto import mock_aws

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name, value in TableNames().as_env().items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=LOCAL_REGION)
        create_tables(client)
        queue_urls = ensure_queues(boto3.client("sqs", region_name=LOCAL_REGION))
        for name, value in resource_environment(queue_urls).items():
            monkeypatch.setenv(name, value)
        dynamo.set_client(client, TableNames())
        yield client
        dynamo.set_client(None)


@pytest.fixture
def applied_example(aws: Any) -> Any:
    """The example agency config, applied to the moto tables."""
    from leadline.config.apply import apply_diff, plan
    from leadline.config.loader import load_config

    loaded = load_config(EXAMPLE_CONFIG)
    apply_diff(plan(loaded))
    return loaded


@pytest.fixture
def report_queue(applied_example: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The example agency plus the template's report queues, a verified SES sender and fresh clients.

    The agency summary re-checks at once instead of after five minutes. Yields the SQS client.
    """
    import boto3

    from leadline import notifications
    from leadline.reporting import queue

    sqs = boto3.client("sqs", region_name=LOCAL_REGION)
    monkeypatch.setenv(queue.SUMMARY_DELAY_SECONDS, "0")
    boto3.client("ses", region_name=LOCAL_REGION).verify_email_identity(
        EmailAddress=applied_example.config.agency.sender_email
    )
    notifications.set_ses_client(None)
    queue.set_client(None)
    yield sqs
    notifications.set_ses_client(None)
    queue.set_client(None)
