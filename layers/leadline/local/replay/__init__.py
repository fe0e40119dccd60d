"""The demo's scripted day. Each flow adds one module here and one entry to ``STEPS``.

A step takes the ``ReplayContext`` (HTTP clients for the local stack, the out/ folder) and
returns summary rows for the table the demo prints at the end.
"""

from collections.abc import Callable

from leadline.local.replay import calls
from leadline.local.replay.context import ReplayContext, SummaryRow
from leadline.local.replay.forms import replay_forms
from leadline.local.replay.outcomes import replay_outcomes
from leadline.local.replay.report import replay_nightly_report

Step = Callable[[ReplayContext], list[SummaryRow]]

STEPS: list[tuple[str, Step]] = [
    ("calls", calls.replay_calls),
    ("forms", replay_forms),
    ("outcomes", replay_outcomes),
    ("nightly report", replay_nightly_report),
]

__all__ = ["STEPS", "ReplayContext", "Step", "SummaryRow"]
