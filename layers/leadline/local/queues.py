"""The template's SQS queues in the local stack and tests: created, wired and redriven.

Queues are named after their logical ids, like the tables. Each queue's ``RedrivePolicy`` is
resolved from its ``!GetAtt`` to the local dead-letter queue's ARN, so a message that keeps
failing moves there as it would in AWS.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadline.local.template import TEMPLATE_PATH, load_template

QUEUE_ATTRIBUTES = (
    "DelaySeconds",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "VisibilityTimeout",
)


def get_att_resource(value: dict[str, Any]) -> str:
    """Return the logical id that ``!GetAtt Id.Attribute`` (or its list form) refers to."""
    target = value["Fn::GetAtt"]
    return str(target.split(".")[0] if isinstance(target, str) else target[0])


def queue_properties(path: Path = TEMPLATE_PATH) -> dict[str, dict[str, Any]]:
    """Return the Properties of every AWS::SQS::Queue in the template, named by logical id."""
    return {
        logical_id: dict(resource.get("Properties") or {})
        for logical_id, resource in load_template(path)["Resources"].items()
        if resource["Type"] == "AWS::SQS::Queue"
    }


def ensure_queues(sqs: Any) -> dict[str, str]:
    """Create each template queue that does not exist yet, then set its redrive policy.

    Returns the URLs by logical id. A queue that already exists (created by other local code)
    keeps its attributes and only gains the redrive policy.
    """
    properties = queue_properties()
    urls = {}
    for name, props in properties.items():
        try:
            urls[name] = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            attributes = {key: str(props[key]) for key in QUEUE_ATTRIBUTES if key in props}
            urls[name] = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    for name, props in properties.items():
        redrive = props.get("RedrivePolicy")
        if not redrive:
            continue
        target_id = get_att_resource(redrive["deadLetterTargetArn"])
        attributes = sqs.get_queue_attributes(QueueUrl=urls[target_id], AttributeNames=["QueueArn"])
        policy = {
            "deadLetterTargetArn": attributes["Attributes"]["QueueArn"],
            "maxReceiveCount": int(redrive["maxReceiveCount"]),
        }
        sqs.set_queue_attributes(QueueUrl=urls[name], Attributes={"RedrivePolicy": json.dumps(policy)})
    return urls


@dataclass(frozen=True)
class QueueEventSource:
    """An ``SQS`` event of a function: the queue that feeds it and its batch settings."""

    queue_id: str
    function_id: str
    code_dir: Path
    handler: str
    batch_size: int
    reports_item_failures: bool


def queue_event_sources(path: Path = TEMPLATE_PATH) -> list[QueueEventSource]:
    """Return every ``Type: SQS`` event of every function, with the queue's logical id."""
    template = load_template(path)
    globals_function = template.get("Globals", {}).get("Function", {})
    sources = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        for event in props.get("Events", {}).values():
            if event["Type"] != "SQS":
                continue
            response_types = event["Properties"].get("FunctionResponseTypes", [])
            sources.append(
                QueueEventSource(
                    queue_id=get_att_resource(event["Properties"]["Queue"]),
                    function_id=logical_id,
                    code_dir=path.parent / props["CodeUri"],
                    handler=props.get("Handler", globals_function.get("Handler")),
                    batch_size=int(event["Properties"].get("BatchSize", 10)),
                    reports_item_failures="ReportBatchItemFailures" in response_types,
                )
            )
    return sources


def event_source(function_id: str) -> QueueEventSource:
    for source in queue_event_sources():
        if source.function_id == function_id:
            return source
    raise LookupError(f"function {function_id!r} has no SQS event in template.yaml")
