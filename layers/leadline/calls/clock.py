"""The call flow's clock: the real time, or the demo's pinned time in local mode."""

from datetime import datetime

from leadline.clock import utc_now


def now() -> datetime:
    return utc_now()
