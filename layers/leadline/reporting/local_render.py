"""``leadline report``: render the nightly reports to files, without sending or writing markers.

Building a report classifies leads that have no billing decision yet and stores the decision,
as the nightly run would; nothing else is written.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from leadline.reporting.build import ContractorReport, build_contractor_report
from leadline.reporting.delivery import RenderedEmail, render_contractor_report, render_document
from leadline.reporting.summary import summarise_reports, summary_document
from leadline.storage.config_tables import get_contractor, get_setting, scan_records


class ReportRequestError(ValueError):
    """The requested contractor or the agency settings do not exist."""


@dataclass(frozen=True)
class RenderedReports:
    reports: list[ContractorReport]
    files: list[Path]


def render_reports(report_date: date, out_dir: Path, contractor_id: str | None = None) -> RenderedReports:
    """Write ``<contractor>-<date>.html/.txt`` per active contractor and ``agency-<date>.html/.txt``.

    With ``contractor_id``, only that contractor's report is written (paused ones too), and no
    agency summary.
    """
    agency = get_setting("agency")
    if agency is None:
        raise ReportRequestError("settings record 'agency' not found; run `leadline config apply` first")

    if contractor_id is not None:
        contractor = get_contractor(contractor_id)
        if contractor is None:
            raise ReportRequestError(
                f"contractor {contractor_id!r} not found; check the id in the agency config"
            )
        contractors = [contractor]
        paused_names: list[str] = []
    else:
        records = sorted(scan_records("contractors"), key=lambda record: str(record["contractor_id"]))
        contractors = [record for record in records if record.get("status") == "active"]
        paused_names = [str(record["name"]) for record in records if record.get("status") == "paused"]

    out_dir.mkdir(parents=True, exist_ok=True)
    reports = [build_contractor_report(contractor, agency, report_date) for contractor in contractors]
    files = []
    for report in reports:
        files += _write(
            out_dir / f"{report.contractor_id}-{report_date.isoformat()}", render_contractor_report(report)
        )
    if contractor_id is None:
        summary = summarise_reports(agency, report_date, reports, paused_names)
        files += _write(
            out_dir / f"agency-{report_date.isoformat()}", render_document(summary_document(summary))
        )
    return RenderedReports(reports, files)


def _write(stem: Path, email: RenderedEmail) -> list[Path]:
    html_path, text_path = stem.with_suffix(".html"), stem.with_suffix(".txt")
    html_path.write_text(email.html, encoding="utf-8")
    text_path.write_text(f"Subject: {email.subject}\n\n{email.text}", encoding="utf-8")
    return [html_path, text_path]
