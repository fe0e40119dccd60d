"""Send each report exactly once, guarded by its marker in the report runs table.

The order for one report is: build and render it (no marker yet), claim the marker with a
conditional write, send through SES, then mark it sent. What each failure leaves behind:

- the build fails: the marker is written ``failed`` with the error, and the queue retries;
- SES raises: the claim becomes ``failed`` and the queue retries, because SES did not accept it;
- the process dies between the send and the mark (a timeout, say): the marker stays
  ``sending``. A retry then cannot tell whether the email went out, so it does not send again,
  and the agency summary lists the report as not confirmed. Delete the marker to send it again.

So a re-run or a retry sends nobody a second copy, at the price of at most one report per crash
that the operator must check by hand.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from botocore.exceptions import ClientError

from leadline.notifications import send_email
from leadline.observability import logger
from leadline.reporting.build import ContractorReport, build_contractor_report
from leadline.reporting.contractor_email import contractor_document
from leadline.reporting.layout import Document
from leadline.reporting.render_html import render_html
from leadline.reporting.render_text import render_text
from leadline.reporting.summary import AgencySummary, ReportTotals, summary_document
from leadline.storage import report_runs
from leadline.storage.config_tables import get_contractor

SENT = "sent"
ALREADY_SENT = "already_sent"
UNCONFIRMED = "unconfirmed"
INACTIVE = "inactive"


class ReportNotSentError(Exception):
    """One report failed; its marker records why and the queue will retry it."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


def render_document(document: Document) -> RenderedEmail:
    return RenderedEmail(document.subject, render_html(document), render_text(document))


def render_contractor_report(report: ContractorReport) -> RenderedEmail:
    return render_document(contractor_document(report))


def deliver_contractor_report(
    contractor_id: str, report_date: date, run_date: date, agency: dict[str, Any]
) -> str:
    """Build and send one contractor's report unless its marker records that it went out or may have.

    Returns "sent", "already_sent", "unconfirmed" (a send was started and never confirmed) or
    "inactive" (the contractor was paused or removed after the run was queued). Raises
    ReportNotSentError when the report was not sent and a retry may send it.
    """
    key = (contractor_id, report_date.isoformat())
    skip = _settled_status(report_runs.get_marker(*key))
    if skip:
        return skip

    contractor = get_contractor(contractor_id)
    if contractor is None or contractor.get("status") != "active":
        logger.info("contractor no longer active; report skipped", contractor_id=contractor_id)
        return INACTIVE

    try:
        report = build_contractor_report(contractor, agency, report_date)
        email = render_contractor_report(report)
    except Exception as error:
        report_runs.mark_failed(*key, run_date=run_date.isoformat(), error=_describe(error))
        raise ReportNotSentError(f"report for {contractor_id} on {report_date} failed to build") from error

    totals = ReportTotals.from_report(report).as_marker()
    return _send_once(
        key, run_date, email, sender=str(agency["sender_email"]), to=report.email, totals=totals
    )


def deliver_agency_summary(summary: AgencySummary, sender: str, to: str) -> str:
    """Send the agency summary once per run date, guarded like a contractor report."""
    key = (report_runs.AGENCY_KEY, summary.run_date.isoformat())
    skip = _settled_status(report_runs.get_marker(*key))
    if skip:
        return skip
    return _send_once(key, summary.run_date, render_document(summary_document(summary)), sender=sender, to=to)


def _settled_status(marker: dict[str, Any] | None) -> str | None:
    if marker is None:
        return None
    if marker["status"] == report_runs.SENT:
        return ALREADY_SENT
    if marker["status"] == report_runs.SENDING:
        return UNCONFIRMED
    return None


def _send_once(
    key: tuple[str, str],
    run_date: date,
    email: RenderedEmail,
    *,
    sender: str,
    to: str,
    totals: dict[str, Any] | None = None,
) -> str:
    fields = {"totals": totals} if totals is not None else None
    claim_id = report_runs.claim(*key, run_date=run_date.isoformat(), fields=fields)
    if claim_id is None:
        return _settled_status(report_runs.get_marker(*key)) or UNCONFIRMED

    try:
        message_id = send_email(
            sender=sender, to=[to], subject=email.subject, html=email.html, text=email.text
        )
    except Exception as error:
        # NOTE: a read timeout after SES accepted the message also lands here, so its retry can
        # send a second copy. SES errors that carry a response (throttling, rejection) cannot.
        report_runs.mark_failed(
            *key, run_date=run_date.isoformat(), error=_describe(error), claim_id=claim_id
        )
        raise ReportNotSentError(f"sending the report {key[0]} {key[1]} failed") from error

    try:
        report_runs.mark_sent(*key, claim_id, message_id)
    except ClientError as error:
        # The email went out. Raising would only make the queue retry a report that must not be
        # sent again, so the marker stays "sending" and the summary lists it as not confirmed.
        logger.error(
            "report sent but its marker was not updated",
            owner_id=key[0],
            report_date=key[1],
            message_id=message_id,
            error_code=error.response.get("Error", {}).get("Code"),
        )
    return SENT


def _describe(error: BaseException) -> str:
    """Return "ErrorType: message" for the marker, which only the agency operator reads."""
    return f"{type(error).__name__}: {error}"
