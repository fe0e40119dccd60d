"""The Twilio auth token: from SSM Parameter Store through Powertools, or the environment locally.

Powertools keeps the decrypted value for ``CACHE_SECONDS``, so a warm function reads SSM at
most once every five minutes, and a rotated token is picked up within that time.
"""

import os

from leadline.calls.settings import TWILIO_AUTH_TOKEN, call_settings
from leadline.observability import logger

CACHE_SECONDS = 300


def twilio_auth_token() -> str | None:
    """Return the auth token, or None when it is not set or cannot be read."""
    settings = call_settings()
    if settings.local_mode:
        return os.environ.get(TWILIO_AUTH_TOKEN) or None
    if not settings.auth_token_parameter:
        return None

    # Imported here because it loads boto3's SSM client, which local mode never needs.
    from aws_lambda_powertools.utilities import parameters

    try:
        token = parameters.get_parameter(settings.auth_token_parameter, decrypt=True, max_age=CACHE_SECONDS)
    except parameters.exceptions.GetParameterError as error:
        logger.error(
            "twilio auth token could not be read",
            parameter=settings.auth_token_parameter,
            error_type=type(error.__cause__ or error).__name__,
        )
        return None
    return str(token) if token else None
