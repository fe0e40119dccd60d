"""The call flow's clock: the real time, or the demo's fixed time in local mode."""

from datetime import datetime

from leadline.calls.settings import clock_override
from leadline.clock import utc_now


def now() -> datetime:
    return clock_override() or utc_now()
