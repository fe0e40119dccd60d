"""A moto server in its own process on 127.0.0.1, set up as the local stack sets up its AWS.

The server runs apart from the measured processes, so its memory is not counted in theirs.
"""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.project import PYTHON, TEMPLATE_PATH

AUTH_TOKEN = "bench-auth-token-0123456789abcdef"  # noqa: S105 - a placeholder for the local stack
AUTH_TOKEN_PARAMETER = "/leadline/twilio/auth-token"  # noqa: S105 - an SSM parameter name
PUBLIC_BASE_URL = "https://leads.agency.example/live"
TWILIO_ACCOUNT_SID = "AC" + "0" * 32
TWILIO_MESSAGING_FROM = "+15125550100"
EXAMPLE_CONFIG = TEMPLATE_PATH.parent / "examples" / "agency.yaml"
STARTUP_TIMEOUT_SECONDS = 30


@dataclass
class AwsStack:
    endpoint: str
    environment: dict[str, str]
    queue_urls: dict[str, str]
    notes: dict[str, Any] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(endpoint: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with code {process.returncode} before it responded")
        try:
            with urllib.request.urlopen(endpoint + "/moto-api/", timeout=1):  # noqa: S310 - loopback
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise TimeoutError(f"moto server at {endpoint} did not respond within {STARTUP_TIMEOUT_SECONDS} s")


@contextmanager
def moto_server(log_path: Path) -> Iterator[str]:
    """Run ``python -m moto.server`` on a free 127.0.0.1 port and yield its URL."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(endpoint, process)
            yield endpoint
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def function_environment(endpoint: str, resources: dict[str, str]) -> dict[str, str]:
    """Return the environment of a deployed function, with AWS pointed at ``endpoint``.

    Literal variables come from the template's Globals. Tables and queues come from the local
    stack. The Twilio token is read from SSM, as in Lambda, not from the local-mode variable.
    """
    from leadline.local.aws import LOCAL_CREDENTIALS
    from leadline.local.template import load_template

    globals_variables = load_template(TEMPLATE_PATH).get("Globals", {}).get("Function", {})
    literal = {
        name: str(value)
        for name, value in globals_variables.get("Environment", {}).get("Variables", {}).items()
        if not isinstance(value, dict)
    }
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 - only a fallback for a missing HOME
        "LANG": "C.UTF-8",
        **literal,
        **LOCAL_CREDENTIALS,
        "AWS_REGION": LOCAL_CREDENTIALS["AWS_DEFAULT_REGION"],
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_AUTH_TOKEN_PARAMETER": AUTH_TOKEN_PARAMETER,
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_MESSAGING_FROM": TWILIO_MESSAGING_FROM,
        **resources,
    }
    return environment


def set_up_stack(endpoint: str) -> AwsStack:
    """Create the template's tables and queues, apply the example agency and store the token."""
    import boto3

    from leadline.config.apply import apply_diff, plan
    from leadline.config.loader import load_config
    from leadline.local.aws import create_tables, resource_environment, use_local_aws
    from leadline.local.queues import ensure_queues
    from leadline.settings import TableNames
    from leadline.storage import dynamo

    use_local_aws(endpoint)
    dynamodb = boto3.client("dynamodb")
    dynamo.set_client(dynamodb, TableNames())
    create_tables(dynamodb)
    queue_urls = ensure_queues(boto3.client("sqs"))
    resources = {**TableNames().as_env(), **resource_environment(queue_urls)}
    os.environ.update(resources)

    loaded = load_config(EXAMPLE_CONFIG)
    apply_diff(plan(loaded))
    boto3.client("ses").verify_email_identity(EmailAddress=loaded.config.agency.sender_email)
    boto3.client("ssm").put_parameter(Name=AUTH_TOKEN_PARAMETER, Value=AUTH_TOKEN, Type="SecureString", Overwrite=True)
    return AwsStack(endpoint, function_environment(endpoint, resources), queue_urls)


def snapshot_items() -> dict[str, dict[str, Any]]:
    """Return every item of every template table, keyed as ``child.item_key`` keys them."""
    from bench.child import item_key
    from leadline.local.template import table_definitions
    from leadline.storage import dynamo

    items = {}
    client = dynamo.client()
    for table, definition in table_definitions(TEMPLATE_PATH).items():
        key_names = [key["AttributeName"] for key in definition["KeySchema"]]
        for page in client.get_paginator("scan").paginate(TableName=table):
            for item in page["Items"]:
                items[item_key(table, {name: item[name] for name in key_names})] = item
    return items
