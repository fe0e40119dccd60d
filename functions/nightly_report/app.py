"""Placeholder handler: does nothing until the nightly report is implemented.

It gives `sam build` and tools/check_build.py a module to package in the meantime.
"""

from typing import Any

IS_PLACEHOLDER = True


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    return {"status": "the nightly report is not implemented yet"}
