"""Start a nightly run: work out each contractor's report date and queue one message each.

The run does no report work itself, so it finishes in seconds for thousands of contractors. As
an estimate, ten messages per SendMessageBatch call at tens of milliseconds each come to about
two seconds per 1,000 contractors, plus one Scan of the contractors table.
"""

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict

from leadline.clock import utc_now
from leadline.observability import logger
from leadline.reporting.periods import previous_local_day
from leadline.reporting.queue import (
    AgencySummaryMessage,
    ContractorReportMessage,
    QueueSettings,
    send_messages,
)
from leadline.storage import report_runs
from leadline.storage.config_tables import get_setting, scan_records


class RunRequest(BaseModel):
    """The scheduler's event. Unknown fields are ignored, so any schedule payload works.

    ``scheduled_time`` (EventBridge Scheduler's ``<aws.scheduler.scheduled-time>``) fixes the
    moment the dates are computed from, so a retried invocation reports the same days. An
    EventBridge rule's event has no such field but carries the scheduled time as ``time``, which
    is used next. Without either the current time is used. ``report_date`` reports that calendar
    day for every contractor, to re-run a past day by hand.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    scheduled_time: AwareDatetime | None = None
    time: AwareDatetime | None = None
    report_date: date | None = None


@dataclass(frozen=True)
class RunStarted:
    run_date: date
    contractors_queued: int
    paused: int
    run_item_written: bool


def report_date_for(request: RunRequest, moment: datetime, time_zone: str) -> date:
    return request.report_date or previous_local_day(moment, time_zone)


def start_run(request: RunRequest, settings: QueueSettings) -> RunStarted:
    """Write the run item and queue every active contractor's report, then the agency summary.

    Raises if the agency config is missing or SQS rejects a message; running it again is safe,
    because the markers skip every report already sent.
    """
    agency = get_setting("agency")
    if agency is None:
        raise RuntimeError("settings record 'agency' not found; run `leadline config apply` first")
    moment = request.scheduled_time or request.time or utc_now()
    run_date = report_date_for(request, moment, str(agency["time_zone"]))

    contractors = sorted(scan_records("contractors"), key=lambda record: str(record["contractor_id"]))
    active = [record for record in contractors if record.get("status") == "active"]
    paused = [str(record["contractor_id"]) for record in contractors if record.get("status") == "paused"]
    messages = [
        ContractorReportMessage(
            contractor_id=str(record["contractor_id"]),
            report_date=report_date_for(request, moment, str(record["time_zone"])),
            run_date=run_date,
        )
        for record in active
    ]
    expected = {message.contractor_id: message.report_date.isoformat() for message in messages}

    written = report_runs.start_run(run_date.isoformat(), expected, paused)
    send_messages(settings.queue_url, list(messages))
    send_messages(
        settings.queue_url,
        [AgencySummaryMessage(run_date=run_date)],
        delay_seconds=settings.summary_delay_seconds,
    )
    logger.info(
        "nightly report run queued",
        run_date=run_date.isoformat(),
        contractors_queued=len(messages),
        paused=len(paused),
        run_item_written=written,
    )
    return RunStarted(run_date, len(messages), len(paused), written)
