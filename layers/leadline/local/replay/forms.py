"""The demo's form leads: valid JSON and HTML-form submits, a duplicate, a bot, unsold and paused
territories, and invalid requests. Every response (status, headers, body) goes to out/forms.txt."""

import json
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from leadline.clock import CLOCK_OVERRIDE, to_iso
from leadline.local.replay.context import HttpResult, ReplayContext, SummaryRow
from leadline.storage import leads

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
BROWSER = "Mozilla/5.0 (demo browser)"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    headers: dict[str, str]
    body: bytes | None = None
    content_type: str | None = None


def _fields(**overrides: Any) -> dict[str, Any]:
    """Return a Dallas roofing submit (lone-star-roofing owns ZIP 75201), with overrides."""
    fields: dict[str, Any] = {
        "site": "Dallas Roof Pros",
        "trade": "roofing",
        "zip": "75201",
        "phone": "(214) 555-0148",
        "name": "Zoë Müller 🏠",
        "email": "zoe.mueller@example.com",
        "message": "Hail last night; shingles on the driveway.\nPlease call after 5 pm.",
        "service_type": "roof_repair",
        "ownership": "owner",
        "consent": True,
        "disclosure_version": "2026-11-01",
        "page_url": "https://dallasroofpros.example/free-estimate",
        "website": "",
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value is not None}


def _origin(site_url: str) -> dict[str, str]:
    return {"Origin": site_url, "User-Agent": BROWSER}


def json_case(name: str, fields: dict[str, Any], site_url: str = "https://dallasroofpros.example") -> Case:
    body = json.dumps(fields, ensure_ascii=False).encode("utf-8")
    return Case(name, "POST", _origin(site_url), body, JSON)


def form_case(name: str, fields: dict[str, Any], site_url: str) -> Case:
    """Return a plain HTML form post, in which a ticked checkbox sends "on"."""
    pairs = [(key, "on" if value is True else str(value)) for key, value in fields.items()]
    return Case(name, "POST", _origin(site_url), urlencode(pairs).encode("utf-8"), FORM)


def cases() -> list[Case]:
    boston = _fields(
        site="Boston HVAC Repair", trade="hvac", zip="02134", phone="617.555.0148",
        name="Siobhán O’Connor", email="", message="Furnace short-cycles since Sunday.",
        service_type="furnace_repair", page_url="https://bostonhvacrepair.example/",
    )
    houston = _fields(
        site="Houston Roof Pros", zip="77002", phone="(713) 555-0148",
        page_url="https://houstonroofpros.example/",
    )
    denver = _fields(
        site="Denver Electricians", trade="electrical", zip="80202", phone="303-555-0148",
        service_type="panel_upgrade", page_url="https://denverelectricians.example/",
    )
    dallas = "https://dallasroofpros.example"
    preflight_headers = {**_origin(dallas), "Access-Control-Request-Method": "POST"}
    return [
        json_case("valid JSON submit", _fields()),
        form_case("valid HTML form submit", boston, "https://bostonhvacrepair.example"),
        json_case("duplicate of the JSON submit", _fields(phone="+1 214 555 0148", message="Sent again")),
        json_case("honeypot filled by a bot", _fields(phone="+12145550149", website="https://spam.example")),
        json_case("unowned ZIP (roofing 77002)", houston, "https://houstonroofpros.example"),
        json_case("paused contractor (electrical 80202)", denver, "https://denverelectricians.example"),
        json_case("bad ZIP", _fields(zip="7520", phone="+12145550150")),
        json_case("ZIP as a JSON number", _fields(zip=75201, phone="+12145550151")),
        json_case("bad phone", _fields(phone="555-0100")),
        form_case("missing consent (HTML form)", _fields(consent=None, phone="+12145550152"), dallas),
        Case("wrong content type", "POST", _origin(dallas), json.dumps(_fields()).encode(), "text/plain"),
        json_case("oversized body", _fields(message="x" * 40_000)),
        Case("empty body", "POST", _origin(dallas), b"", JSON),
        Case("CORS preflight from a site", "OPTIONS", preflight_headers),
        Case("CORS preflight from elsewhere", "OPTIONS", _origin("https://elsewhere.example")),
    ]


def _describe(case: Case, result: HttpResult) -> str:
    size = f", {len(case.body)} bytes" if case.body is not None else ""
    request_line = f"{case.method} /leads ({case.content_type or 'no body'}{size})"
    lines = [f"== {case.name}", request_line, f"HTTP {result.status}"]
    for name in ("Location", "Access-Control-Allow-Origin", "Content-Type"):
        value = next((v for k, v in result.headers.items() if k.lower() == name.lower()), None)
        if value:
            lines.append(f"{name}: {value}")
    if result.body:
        lines.append(json.dumps(json.loads(result.body), indent=2, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _outcome(result: HttpResult) -> str:
    """Summarise a response for the demo table, with the stored lead's routing when there is one."""
    if result.status == 303:
        return f"303 to {result.headers.get('Location')}"
    if result.status != 201:
        if not result.body:
            return str(result.status)
        body = json.loads(result.body)
        errors = body.get("errors") or []
        if errors:
            return f"{result.status} {errors[0]['field']}: {errors[0]['message']}"
        return f"{result.status}: {body['message']}"
    lead_id = json.loads(result.body)["lead_id"]
    lead = leads.get_lead(lead_id, consistent=True)
    if lead is None:
        return f"201 {lead_id}, nothing stored"
    owner = str(lead["contractor_id"])
    if lead["assignment"] != "assigned":
        owner = f"unassigned, {lead['unassigned_reason']}"
    sent = " + ".join(sorted(lead.get("notifications") or {})) or "nothing"
    return f"201 {lead_id} ({owner}; sent {sent})"


def replay_forms(context: ReplayContext) -> list[SummaryRow]:
    report: list[str] = []
    rows: list[SummaryRow] = []
    saved_override = os.environ.get(CLOCK_OVERRIDE)
    try:
        for index, case in enumerate(cases()):
            _pin_clock(context, index)
            headers = dict(case.headers)
            if case.content_type:
                headers["Content-Type"] = case.content_type
            result = context.request(case.method, "/leads", body=case.body, headers=headers)
            report.append(_describe(case, result))
            rows.append(SummaryRow("form", case.name, _outcome(result)))
    finally:
        if saved_override is None:
            os.environ.pop(CLOCK_OVERRIDE, None)
        else:
            os.environ[CLOCK_OVERRIDE] = saved_override
    Path(context.out_dir, "forms.txt").write_text("\n".join(report), encoding="utf-8")
    return rows


def _pin_clock(context: ReplayContext, index: int) -> None:
    """Put each submit on the calls' replayed day, from 11:00 Dallas time, seven minutes apart.

    The calls step pins its day (``notes["calls_day"]``); forms on the same day land in the same
    nightly report. Without that note the forms keep the wall-clock time.
    """
    day = context.notes.get("calls_day")
    if not day:
        return
    start = datetime.combine(date.fromisoformat(day), time(11, 0), tzinfo=ZoneInfo("America/Chicago"))
    os.environ[CLOCK_OVERRIDE] = to_iso(start + timedelta(minutes=7 * index))
