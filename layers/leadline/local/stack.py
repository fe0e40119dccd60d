"""Start the local stack: embedded AWS, tables, config, outbox and the API Gateway stand-in."""

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadline.config.apply import apply_diff, check_transfers, describe_diff, plan
from leadline.config.loader import load_config
from leadline.local.aws import (
    LOCAL_REGION,
    create_tables,
    resource_environment,
    start_embedded_aws,
    use_local_aws,
)
from leadline.local.gateway import start_gateway
from leadline.local.queues import ensure_queues
from leadline.notifications import SMS_OUTBOX
from leadline.storage import dynamo

# A placeholder token for the local stack only, and the name of the variable that holds the token.
DEMO_AUTH_TOKEN = "leadline-demo-auth-token"
TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN"
PUBLIC_BASE_URL = "PUBLIC_BASE_URL"
LOCAL_MODE = "LEADLINE_LOCAL"


@dataclass
class LocalStack:
    endpoint: str
    base_url: str
    out_dir: Path
    moto_server: Any
    gateway: Any
    config_lines: list[str]

    @property
    def sms_outbox(self) -> Path:
        return self.out_dir / "sms.jsonl"

    def stop(self) -> None:
        self.gateway.shutdown()
        if self.moto_server is not None:
            self.moto_server.stop()


def start_local_stack(
    *,
    config_path: Path | None,
    port: int = 0,
    public_url: str | None = None,
    out_dir: Path = Path("out"),
    allow_transfer: bool = False,
) -> LocalStack:
    """Start everything on 127.0.0.1 and apply the config. Raises ConfigError before any write."""
    loaded = load_config(config_path) if config_path else None

    moto_server = None
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        moto_server, endpoint = start_embedded_aws()
    use_local_aws(endpoint)

    import boto3

    region = os.environ.get("AWS_DEFAULT_REGION", LOCAL_REGION)
    dynamo.set_client(boto3.client("dynamodb", region_name=region))
    create_tables(dynamo.client())
    sqs = boto3.client("sqs", region_name=region)
    queue_urls = ensure_queues(sqs)
    os.environ.update(resource_environment(queue_urls))

    config_lines: list[str] = []
    if loaded is not None:
        diff = plan(loaded)
        check_transfers(loaded, diff, allow_transfer=allow_transfer)
        config_lines = describe_diff(diff) or ["No changes: the tables already match the config."]
        config_lines = loaded.warnings + config_lines
        apply_diff(diff)
        _verify_sender(loaded.config.agency.sender_email)

    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ[SMS_OUTBOX] = str((out_dir / "sms.jsonl").resolve())
    os.environ[LOCAL_MODE] = "1"
    if not os.environ.get(TWILIO_AUTH_TOKEN):
        os.environ[TWILIO_AUTH_TOKEN] = DEMO_AUTH_TOKEN

    gateway = start_gateway(port)
    bound_port = gateway.server_address[1]
    base_url = f"http://127.0.0.1:{bound_port}"
    os.environ[PUBLIC_BASE_URL] = (public_url or base_url).rstrip("/")
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    return LocalStack(endpoint, base_url, out_dir, moto_server, gateway, config_lines)


def _verify_sender(sender: str) -> None:
    import boto3

    ses = boto3.client("ses")
    ses.verify_email_identity(EmailAddress=sender)
