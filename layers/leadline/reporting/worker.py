"""The report worker's domain step: one queue message in, one report (or the summary) out.

Metrics, one per report: ``ReportSent`` and ``ReportFailed`` count contractor reports sent and
failed attempts; ``SummarySent`` and ``SummaryFailed`` do the same for the agency summary. A
failed attempt raises, so the queue retries that message alone; the markers make the retry
skip whatever already went out.
"""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from leadline.observability import logger, metrics
from leadline.reporting import delivery
from leadline.reporting.queue import (
    AgencySummaryMessage,
    ContractorReportMessage,
    QueueSettings,
    parse_message,
    send_messages,
)
from leadline.reporting.summary import summarise_markers
from leadline.storage import report_runs
from leadline.storage.config_tables import get_setting, scan_records

WAITING = "waiting"
NO_RUN = "no_run"


class AgencySettingsMissingError(RuntimeError):
    """The settings table has no "agency" record; apply the agency config first."""


def handle_report_message(body: str, settings: QueueSettings) -> str:
    """Handle one message body. Returns what happened; raises if the report must be retried."""
    try:
        message = parse_message(body)
    except ValidationError as error:
        logger.error(
            "report message is invalid; it will go to the dead-letter queue", errors=error.error_count()
        )
        raise
    agency = get_setting("agency")
    if agency is None:
        raise AgencySettingsMissingError(
            "settings record 'agency' not found; run `leadline config apply` first"
        )
    if isinstance(message, ContractorReportMessage):
        return _contractor_report(message, agency)
    return _agency_summary(message, agency, settings)


def _contractor_report(message: ContractorReportMessage, agency: dict[str, Any]) -> str:
    contractor_id, report_date = message.contractor_id, message.report_date.isoformat()
    try:
        result = delivery.deliver_contractor_report(
            message.contractor_id, message.report_date, message.run_date, agency
        )
    except Exception as error:
        metrics.add_metric(name="ReportFailed", unit=MetricUnit.Count, value=1)
        logger.error(
            "contractor report failed; the queue will retry it",
            contractor_id=contractor_id,
            report_date=report_date,
            error_type=_cause_type(error),
        )
        raise
    if result == delivery.SENT:
        metrics.add_metric(name="ReportSent", unit=MetricUnit.Count, value=1)
    logger.info(
        "contractor report handled", contractor_id=contractor_id, report_date=report_date, result=result
    )
    return result


def _agency_summary(message: AgencySummaryMessage, agency: dict[str, Any], settings: QueueSettings) -> str:
    run_date = message.run_date.isoformat()
    run = report_runs.get_marker(report_runs.AGENCY_KEY, run_date)
    if run is None:
        logger.error("agency summary has no run item; nothing to summarise", run_date=run_date)
        return NO_RUN
    if run["status"] in (report_runs.SENT, report_runs.SENDING):
        return delivery.ALREADY_SENT if run["status"] == report_runs.SENT else delivery.UNCONFIRMED

    expected: dict[str, str] = dict(run.get("expected") or {})
    markers = report_runs.get_markers(expected.items())
    settled = (report_runs.SENT, report_runs.SENDING)
    unsettled = [key for key in expected.items() if markers.get(key, {}).get("status") not in settled]
    if unsettled and message.check < settings.summary_max_checks:
        follow_up = AgencySummaryMessage(run_date=message.run_date, check=message.check + 1)
        send_messages(settings.queue_url, [follow_up], delay_seconds=settings.summary_delay_seconds)
        logger.info(
            "agency summary waits for reports",
            run_date=run_date,
            unsettled=len(unsettled),
            check=message.check,
        )
        return WAITING

    names = {str(record["contractor_id"]): str(record["name"]) for record in scan_records("contractors")}
    summary = summarise_markers(agency, run, markers, names)
    try:
        result = delivery.deliver_agency_summary(
            summary, str(agency["sender_email"]), str(agency["operator_email"])
        )
    except Exception as error:
        metrics.add_metric(name="SummaryFailed", unit=MetricUnit.Count, value=1)
        logger.error(
            "agency summary failed; the queue will retry it", run_date=run_date, error_type=_cause_type(error)
        )
        raise
    if result == delivery.SENT:
        metrics.add_metric(name="SummarySent", unit=MetricUnit.Count, value=1)
    logger.info("agency summary handled", run_date=run_date, result=result, unsettled=len(unsettled))
    return result


def _cause_type(error: BaseException) -> str:
    """Name the underlying error type; messages are left out because SES puts addresses in them."""
    cause = error.__cause__ or error
    return type(cause).__name__
