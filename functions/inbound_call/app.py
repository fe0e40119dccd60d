"""Placeholder handler: returns HTTP 503 until the inbound-call flow is implemented.

It gives `sam build` and tools/check_build.py a module to package in the meantime.
"""

from typing import Any

IS_PLACEHOLDER = True


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "statusCode": 503,
        "headers": {"Content-Type": "application/json"},
        "body": '{"message": "the voice webhook is not implemented yet"}',
    }
