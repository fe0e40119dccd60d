"""Nightly report, step 1: the schedule's handler queues one report per active contractor."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from leadline.observability import logger
from leadline.reporting.fanout import RunRequest, start_run
from leadline.reporting.queue import QueueSettings


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    started = start_run(RunRequest.model_validate(event or {}), QueueSettings.from_env())
    return {
        "run_date": started.run_date.isoformat(),
        "contractors_queued": started.contractors_queued,
        "paused": started.paused,
    }
