"""The texts a form lead sends: an SMS and an email to its contractor, or an email to the agency.

Every value from the form is HTML-escaped in the HTML part. Names and messages are not trimmed
or normalised here, so accents and emoji reach the contractor as the homeowner typed them.
"""

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from leadline.clock import from_iso

SMS_NAME_MAX = 40
SUBJECT_NAME_MAX = 60

UNASSIGNED_REASONS = {
    "no_route": "nobody owns this trade in this ZIP",
    "paused": "the contractor who owns this ZIP is paused",
}


@dataclass(frozen=True)
class EmailContent:
    subject: str
    html: str
    text: str


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_local_time(iso_time: str, time_zone: str) -> str:
    """Format a stored UTC time in a time zone, e.g. "Fri Dec 4, 2026 1:53 PM CST"."""
    moment: datetime = from_iso(iso_time).astimezone(ZoneInfo(time_zone))
    hour = moment.hour % 12 or 12
    return f"{moment:%a %b} {moment.day}, {moment.year} {hour}:{moment:%M %p %Z}"


def contractor_sms(lead: dict[str, Any]) -> str:
    details = [f"{_shorten(lead['name'], SMS_NAME_MAX)}, {lead['caller_phone']}, ZIP {lead['zip']}"]
    if lead.get("service_type"):
        details.append(str(lead["service_type"]))
    if lead.get("ownership"):
        details.append(str(lead["ownership"]))
    return (
        f"New {lead['trade']} lead from {lead['site']}: {', '.join(details)}. "
        f"Full details are in your email. Ref {lead['lead_id']}"
    )


def _rows(lead: dict[str, Any], time_zone: str) -> list[tuple[str, str, str | None]]:
    """Return (label, text, link) rows shared by the HTML and text parts."""
    rows: list[tuple[str, str, str | None]] = [
        ("Name", lead["name"], None),
        ("Phone", lead["caller_phone"], f"tel:{lead['caller_phone']}"),
    ]
    if lead.get("email"):
        rows.append(("Email", lead["email"], f"mailto:{lead['email']}"))
    rows.append(("ZIP", lead["zip"], None))
    if lead.get("service_type"):
        rows.append(("Service", lead["service_type"], None))
    if lead.get("ownership"):
        rows.append(("Owner or renter", lead["ownership"], None))
    if lead.get("message"):
        rows.append(("Message", lead["message"], None))
    rows.append(("Site", lead["site"], None))
    rows.append(("Received", format_local_time(lead["received_at"], time_zone), None))
    rows.append(("Lead id", lead["lead_id"], None))
    return rows


def _consent_line(lead: dict[str, Any]) -> str:
    consent = lead["consent"]
    return (
        f"The homeowner agreed to be contacted (disclosure {consent['disclosure_version']}) "
        f"on {consent['page_url']}."
    )


def _html(heading: str, intro: str, rows: list[tuple[str, str, str | None]], footer: str) -> str:
    cells = []
    for label, text, link in rows:
        value = html.escape(text).replace("\n", "<br>")
        if link:
            value = f'<a href="{html.escape(link)}" style="color:#0b57d0;">{value}</a>'
        cells.append(
            '<tr><th style="text-align:left;vertical-align:top;padding:6px 16px 6px 0;'
            f'color:#555;font-weight:normal;white-space:nowrap;">{html.escape(label)}</th>'
            f'<td style="padding:6px 0;">{value}</td></tr>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;">'
        f'<h1 style="font-size:20px;margin:0 0 8px;">{html.escape(heading)}</h1>'
        f'<p style="margin:0 0 16px;">{html.escape(intro)}</p>'
        '<table role="presentation" style="border-collapse:collapse;font-size:15px;">'
        f'{"".join(cells)}</table>'
        f'<p style="margin:16px 0 0;font-size:13px;color:#555;">{html.escape(footer)}</p>'
        "</body></html>"
    )


def _text(heading: str, intro: str, rows: list[tuple[str, str, str | None]], footer: str) -> str:
    lines = [heading, "", intro, ""]
    for label, text, _ in rows:
        # Continuation lines of a multi-line message are indented under their label.
        lines.append(f"{label}: " + text.replace("\n", "\n  "))
    lines += ["", footer, ""]
    return "\n".join(lines)


def contractor_email(lead: dict[str, Any], time_zone: str) -> EmailContent:
    heading = f"New {lead['trade']} lead from {lead['site']}"
    intro = "This lead was sent to you only. Call the homeowner back soon."
    rows = _rows(lead, time_zone)
    footer = _consent_line(lead)
    return EmailContent(
        subject=f"New {lead['trade']} lead: {_shorten(lead['name'], SUBJECT_NAME_MAX)}, ZIP {lead['zip']}",
        html=_html(heading, intro, rows, footer),
        text=_text(heading, intro, rows, footer),
    )


def agency_email(lead: dict[str, Any], time_zone: str) -> EmailContent:
    reason = UNASSIGNED_REASONS.get(lead.get("unassigned_reason", ""), "no contractor was found")
    heading = f"Unassigned {lead['trade']} form lead in ZIP {lead['zip']}"
    intro = f"This lead was stored as unassigned because {reason}. No contractor was notified."
    rows = _rows(lead, time_zone)
    footer = _consent_line(lead)
    return EmailContent(
        subject=f"Unassigned {lead['trade']} lead in ZIP {lead['zip']}: {reason}",
        html=_html(heading, intro, rows, footer),
        text=_text(heading, intro, rows, footer),
    )
