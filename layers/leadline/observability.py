"""Logger and metrics, created once for every function.

Events carry personal data, so event logging stays off and phone numbers are masked with
``mask_phone`` before they reach a log field. Names and emails are never logged.
"""

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="leadline")
metrics = Metrics(namespace="Leadline", service="leadline")


def mask_phone(phone: str | None) -> str:
    """Return a phone number with all but its last two digits hidden, for logs."""
    if not phone:
        return "<none>"
    digits = [ch for ch in phone if ch.isdigit()]
    if len(digits) < 4:
        return "***"
    return "***" + "".join(digits[-2:])
