"""Environment settings of the form functions, and the Twilio auth token they send SMS with."""

import os
from dataclasses import dataclass

from leadline.settings import MissingSettingError

FORM_DEDUPE_TABLE = "FORM_DEDUPE_TABLE"
FORM_NOTIFY_RETRY_QUEUE_URL = "FORM_NOTIFY_RETRY_QUEUE_URL"
TWILIO_AUTH_TOKEN_PARAMETER = "TWILIO_AUTH_TOKEN_PARAMETER"  # noqa: S105 - an environment variable name
# Local mode only: the local stack puts the token itself in the environment.
TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN"  # noqa: S105 - an environment variable name

TOKEN_CACHE_SECONDS = 300


@dataclass(frozen=True)
class FormSettings:
    dedupe_table: str
    retry_queue_url: str

    @classmethod
    def from_env(cls) -> "FormSettings":
        """Read the settings, raising MissingSettingError that names every unset variable."""
        names = (FORM_DEDUPE_TABLE, FORM_NOTIFY_RETRY_QUEUE_URL)
        missing = [name for name in names if not os.environ.get(name)]
        if missing:
            raise MissingSettingError(
                f"environment variable(s) {', '.join(missing)} not set; template.yaml sets them for "
                "FormSubmitFunction, and `leadline serve` sets them locally"
            )
        return cls(
            dedupe_table=os.environ[FORM_DEDUPE_TABLE],
            retry_queue_url=os.environ[FORM_NOTIFY_RETRY_QUEUE_URL],
        )


def twilio_auth_token() -> str:
    """Return the Twilio auth token: from the environment locally, else from SSM (cached 5 minutes)."""
    local_token = os.environ.get(TWILIO_AUTH_TOKEN)
    if local_token:
        return local_token
    parameter = os.environ.get(TWILIO_AUTH_TOKEN_PARAMETER)
    if not parameter:
        raise MissingSettingError(
            f"environment variable {TWILIO_AUTH_TOKEN_PARAMETER} not set; it names the SSM parameter "
            "that holds the Twilio auth token"
        )
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_parameter(parameter, decrypt=True, max_age=TOKEN_CACHE_SECONDS))
