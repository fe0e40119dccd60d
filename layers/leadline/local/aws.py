"""Embedded AWS for the local stack and tests: a moto server on 127.0.0.1 and the tables.

Tables are created from template.yaml's own definitions, so the local schema cannot drift from
the deployed one.
"""

import os
from typing import Any

from leadline.local.template import (
    environment_references,
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


def resource_environment(queue_urls: dict[str, str]) -> dict[str, str]:
    """Return the environment variables that name tables and queues, with their local values.

    In Lambda, ``!Ref`` gives a table's name and a queue's URL. Locally a table is named after its
    logical id, and a queue's URL comes from ``leadline.local.queues.ensure_queues``. References to anything else (such
    as template parameters) are left out.
    """
    tables = set(table_definitions())
    environment = {}
    for name, logical_id in environment_references().items():
        if logical_id in tables:
            environment[name] = logical_id
        elif logical_id in queue_urls:
            environment[name] = queue_urls[logical_id]
    return environment
