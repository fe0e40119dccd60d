"""Embedded AWS for the local stack and tests: a moto server on 127.0.0.1 and the tables.

Tables are created from template.yaml's own definitions, so the local schema cannot drift from
the deployed one.
"""

import os
from typing import Any

from leadline.local.template import (
    get_att_resource,
    queue_definitions,
    queue_url_variables,
    table_definitions,
    time_to_live_attributes,
)
from leadline.settings import TableNames

LOCAL_REGION = "us-east-1"
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": LOCAL_REGION,
}


def start_embedded_aws(port: int = 0) -> tuple[Any, str]:
    """Start a moto server on 127.0.0.1 (a free port when 0). Returns the server and its URL."""
    import logging

    from moto.server import ThreadedMotoServer

    # werkzeug logs every request to the embedded AWS; only its warnings are worth showing.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound_port = server.get_host_and_port()
    return server, f"http://{host}:{bound_port}"


def use_local_aws(endpoint: str) -> None:
    """Point boto3 at ``endpoint`` with placeholder credentials and the local table names."""
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    for name, value in LOCAL_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    os.environ.update(TableNames().as_env())


def create_tables(client: Any) -> list[str]:
    """Create every table in template.yaml that does not exist yet. Returns the names created."""
    existing = set(client.list_tables()["TableNames"])
    created = []
    for name, arguments in table_definitions().items():
        if name in existing:
            continue
        client.create_table(**arguments)
        created.append(name)
    for name, attribute in time_to_live_attributes().items():
        if name in created:
            client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
            )
    return created


QUEUE_ATTRIBUTES = (
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
)


def create_queues(sqs: Any) -> dict[str, str]:
    """Create every SQS queue in template.yaml, named by logical id, with its redrive policy.

    Returns the URLs by logical id; ``queue_environment`` turns them into the variables the
    functions read.
    """
    import json

    definitions = queue_definitions()
    urls = {}
    for name, props in definitions.items():
        attributes = {key: str(props[key]) for key in QUEUE_ATTRIBUTES if key in props}
        urls[name] = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    for name, props in definitions.items():
        redrive = props.get("RedrivePolicy")
        if not redrive:
            continue
        target_id = get_att_resource(redrive["deadLetterTargetArn"])
        attributes = sqs.get_queue_attributes(QueueUrl=urls[target_id], AttributeNames=["QueueArn"])
        arn = attributes["Attributes"]["QueueArn"]
        policy = {"deadLetterTargetArn": arn, "maxReceiveCount": int(redrive["maxReceiveCount"])}
        sqs.set_queue_attributes(QueueUrl=urls[name], Attributes={"RedrivePolicy": json.dumps(policy)})
    return urls


def queue_environment(urls: dict[str, str]) -> dict[str, str]:
    """Return each function variable that the template sets to ``!Ref <queue>``, with its local URL."""
    return {variable: urls[queue_id] for variable, queue_id in queue_url_variables().items()}
