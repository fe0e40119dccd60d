"""The voice function's environment, read once and validated.

In local mode (``LEADLINE_LOCAL=1``, set by ``leadline serve`` and the tests) the auth token
comes from ``TWILIO_AUTH_TOKEN`` and the fallback queue is created on the local AWS endpoint.
Deployed, the template sets the SSM parameter name and the queue URL.
"""

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from leadline.clock import LOCAL_MODE
from leadline.settings import MissingSettingError

PUBLIC_BASE_URL = "PUBLIC_BASE_URL"
TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN"  # noqa: S105 - the variable's name, not a token
TWILIO_AUTH_TOKEN_PARAMETER = "TWILIO_AUTH_TOKEN_PARAMETER"  # noqa: S105 - the variable's name
LEAD_FALLBACK_QUEUE_URL = "LEAD_FALLBACK_QUEUE_URL"
FALLBACK_NUMBER = "LEADLINE_FALLBACK_NUMBER"


class CallSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    public_base_url: str = Field(pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
    local_mode: bool
    auth_token_parameter: str | None
    fallback_queue_url: str | None
    # Dialled when DynamoDB fails before the tracking number or agency settings are cached.
    fallback_number: str | None

    def url(self, path: str) -> str:
        """Return the absolute URL of a webhook path, as Twilio requests and signs it."""
        return self.public_base_url + path


def is_local_mode() -> bool:
    return os.environ.get(LOCAL_MODE) == "1"


@cache
def call_settings() -> CallSettings:
    """Read the environment once. Raises MissingSettingError naming every missing variable."""
    local = is_local_mode()
    required = [PUBLIC_BASE_URL]
    if not local:
        required += [TWILIO_AUTH_TOKEN_PARAMETER, LEAD_FALLBACK_QUEUE_URL]
    missing = [name for name in required if not os.environ.get(name)]
    if missing:
        raise MissingSettingError(
            f"environment variable(s) {', '.join(missing)} not set; template.yaml sets them for "
            "InboundCallFunction, and `leadline serve` sets PUBLIC_BASE_URL locally"
        )
    try:
        return CallSettings(
            public_base_url=os.environ[PUBLIC_BASE_URL].rstrip("/"),
            local_mode=local,
            auth_token_parameter=os.environ.get(TWILIO_AUTH_TOKEN_PARAMETER) or None,
            fallback_queue_url=os.environ.get(LEAD_FALLBACK_QUEUE_URL) or None,
            fallback_number=os.environ.get(FALLBACK_NUMBER) or None,
        )
    except ValidationError as error:
        fields = ", ".join(str(e["loc"][0]) for e in error.errors())
        raise MissingSettingError(
            f"invalid voice settings ({fields}); PUBLIC_BASE_URL must be an http(s) URL "
            "without a query string, such as https://leads.example-agency.com"
        ) from None
