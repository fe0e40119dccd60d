"""Demo step: the nightly report for the replayed day, through the real handlers.

The replayed leads carry the time they were replayed at (or the demo's fixed clock), while a
nightly report covers each contractor's previous local day. So the step finds the agency-local
day most replayed leads fall on and invokes the schedule's handler with a ``scheduled_time`` of
06:30 agency time the morning after, exactly the field EventBridge Scheduler passes. No clock
is overridden: the same event re-runs any past day in Lambda too. The queue is then drained
into the worker as Lambda's event source mapping would, so the emails land in the embedded SES
(the demo exports them to out/emails/), and ``leadline report`` output goes to out/reports/.
"""

import os
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from leadline.clock import from_iso, to_iso, utc_now
from leadline.local.gateway import LambdaContext, load_handler
from leadline.local.replay.context import ReplayContext, SummaryRow
from leadline.local.sqs_source import drain_queue
from leadline.local.template import PROJECT_ROOT
from leadline.reporting.local_render import render_reports
from leadline.reporting.queue import SUMMARY_DELAY_SECONDS
from leadline.storage import dynamo, report_runs
from leadline.storage.config_tables import get_setting

RUN_TIME = time(6, 30)


def replay_nightly_report(context: ReplayContext) -> list[SummaryRow]:
    import boto3

    agency = get_setting("agency")
    if agency is None:
        return [SummaryRow("report", "nightly run", "skipped: no agency settings")]
    time_zone = ZoneInfo(str(agency["time_zone"]))
    report_day = replayed_day(time_zone)
    scheduled = datetime.combine(report_day + timedelta(days=1), RUN_TIME, tzinfo=time_zone)

    # The summary re-checks at once instead of after five minutes, because the demo waits for it.
    os.environ[SUMMARY_DELAY_SECONDS] = "0"
    handler = load_handler(PROJECT_ROOT / "functions" / "nightly_report", "app.lambda_handler")
    started = handler({"scheduled_time": to_iso(scheduled)}, LambdaContext("NightlyReportFunction"))
    drained = drain_queue(boto3.client("sqs"), "ReportWorkerFunction")
    context.notes["report_date"] = report_day.isoformat()

    run = report_runs.get_marker(report_runs.AGENCY_KEY, started["run_date"]) or {}
    expected: dict[str, str] = dict(run.get("expected") or {})
    markers = report_runs.get_markers(expected.items())
    rows = [
        SummaryRow(
            "report",
            f"run at {to_iso(scheduled)}",
            f"{started['contractors_queued']} report(s) queued for {started['run_date']}, "
            f"{drained.messages} message(s) handled, {drained.failures} failed",
        )
    ]
    for contractor_id, contractor_date in sorted(expected.items()):
        status = markers.get((contractor_id, contractor_date), {}).get("status", "not started")
        rows.append(SummaryRow("report", f"{contractor_id} {contractor_date}", status))
    rows.append(SummaryRow("report", "agency summary", str(run.get("status", "not started"))))

    local = render_reports(report_day, context.out_dir / "reports")
    rows.append(
        SummaryRow(
            "report", f"leadline report --date {report_day}", f"{len(local.files)} file(s) in out/reports/"
        )
    )
    return rows


def replayed_day(time_zone: ZoneInfo) -> date:
    """Return the agency-local date most stored leads were received on; today if there are none."""
    paginator = dynamo.client().get_paginator("scan")
    days: Counter[date] = Counter()
    pages = paginator.paginate(TableName=dynamo.tables().leads, ProjectionExpression="received_at")
    for page in pages:
        for item in page["Items"]:
            received_at: Any = item.get("received_at", {}).get("S")
            if received_at:
                days[from_iso(received_at).astimezone(time_zone).date()] += 1
    if not days:
        return utc_now().astimezone(time_zone).date()
    return days.most_common(1)[0][0]
