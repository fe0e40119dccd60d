"""The demo's calls: every case of the voice flow, posted to the local API and signed as Twilio signs.

Business hours depend on the time of the call, so each call sets LEADLINE_CLOCK_OVERRIDE
before it is posted. The local gateway runs the handlers in this process, and the override is
read only when LEADLINE_LOCAL=1, which the local stack sets. The calls happen on the most
recent weekday before today, at fixed Dallas times, so the same contractors are open or closed
whatever day the demo runs. Status callbacks carry Twilio-style timestamps relative to the call.

Besides the summary rows, the step writes out/calls.txt: each call's requests and responses,
the stored lead and the SMS it caused.
"""

import math
import os
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from leadline.calls import paths
from leadline.clock import CLOCK_OVERRIDE, to_iso
from leadline.local.replay.context import HttpResult, ReplayContext, SummaryRow
from leadline.notifications import read_outbox
from leadline.storage import leads

DALLAS = ZoneInfo("America/Chicago")
RING_SECONDS = 6  # one US ring cycle, as in the example agency's report settings

DALLAS_NUMBER = "+12145550100"
DFW_NUMBER = "+18175550100"
HOUSTON_NUMBER = "+17135550100"
BOSTON_NUMBER = "+16175550100"
DENVER_NUMBER = "+13035550100"
UNKNOWN_NUMBER = "+19725550100"
RECORDINGS_URL = "https://api.twilio.com/2010-04-01/Accounts/AC" + "0" * 32 + "/Recordings/"


def demo_day(today: date) -> date:
    """Return the most recent weekday before ``today``: every example contractor is open then."""
    day = today - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def new_sid(prefix: str = "CA") -> str:
    return prefix + secrets.token_hex(16)


def twilio_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def verbs(body: str) -> str:
    try:
        root = ET.fromstring(body)  # noqa: S314 - TwiML from the local handler
    except ET.ParseError:
        return "(not TwiML)"
    return " ".join(child.tag for child in root) or "(empty)"


@dataclass
class DemoCall:
    """One call's requests, posted in order, with a log of what each returned."""

    context: ReplayContext
    to: str
    caller: str
    started: datetime
    call_sid: str = field(default_factory=new_sid)
    leg_sid: str = field(default_factory=new_sid)
    lines: list[str] = field(default_factory=list)
    last: HttpResult | None = None

    def _post(self, path: str, params: list[tuple[str, str]], offset_seconds: int) -> HttpResult:
        os.environ[CLOCK_OVERRIDE] = to_iso(self.started + timedelta(seconds=offset_seconds))
        result = self.context.post_twilio(path, params)
        self.lines.append(f"  +{offset_seconds:>3}s POST {path:<28} -> {result.status} {verbs(result.body)}")
        self.last = result
        return result

    def _call_params(self, **extra: str) -> list[tuple[str, str]]:
        return [
            ("AccountSid", "AC" + "0" * 32),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", self.call_sid),
            ("CallStatus", "in-progress"),
            ("Called", self.to),
            ("Caller", self.caller),
            ("Direction", "inbound"),
            ("From", self.caller),
            ("To", self.to),
            *extra.items(),
        ]

    def _leg_params(self, **extra: str) -> list[tuple[str, str]]:
        return [
            ("AccountSid", "AC" + "0" * 32),
            ("CallSid", self.leg_sid),
            ("ParentCallSid", self.call_sid),
            ("Direction", "outbound-dial"),
            *extra.items(),
        ]

    def voice(self) -> HttpResult:
        return self._post(paths.VOICE, self._call_params(CallStatus="ringing"), 0)

    def enter_zip(self, digits: str, offset: int, *, retry: bool = False) -> HttpResult:
        return self._post(paths.ZIP_RETRY if retry else paths.ZIP, self._call_params(Digits=digits), offset)

    def status(self, call_status: str, offset: int) -> HttpResult:
        moment = self.started + timedelta(seconds=offset)
        params = self._leg_params(
            CallStatus=call_status, Timestamp=twilio_timestamp(moment), CallbackSource="call-progress-events"
        )
        return self._post(paths.STATUS, params, offset)

    def whisper(self, offset: int) -> HttpResult:
        return self._post(paths.WHISPER, self._leg_params(CallStatus="in-progress"), offset)

    def press(self, digits: str, offset: int) -> HttpResult:
        return self._post(paths.WHISPER_ACCEPT, self._leg_params(Digits=digits), offset)

    def dial_result(self, status: str, duration: int, offset: int) -> HttpResult:
        params = self._call_params(
            DialCallStatus=status, DialCallSid=self.leg_sid, DialCallDuration=str(duration)
        )
        return self._post(paths.DIAL_RESULT, params, offset)

    def voicemail(self, seconds: int, offset: int) -> HttpResult:
        recording_url = RECORDINGS_URL + new_sid("RE")
        params = self._call_params(
            RecordingUrl=recording_url, RecordingDuration=str(seconds), Digits="hangup"
        )
        return self._post(paths.VOICEMAIL, params, offset)

    def recording(self, source: str, seconds: int, offset: int) -> HttpResult:
        recording_sid = new_sid("RE")
        params = [
            ("AccountSid", "AC" + "0" * 32),
            ("CallSid", self.call_sid),
            ("RecordingSid", recording_sid),
            ("RecordingUrl", RECORDINGS_URL + recording_sid),
            ("RecordingStatus", "completed"),
            ("RecordingDuration", str(seconds)),
            ("RecordingChannels", "1"),
            ("RecordingSource", source),
        ]
        return self._post(paths.RECORDING, params, offset)

    def answered_by_contractor(self, ring_seconds: int, talk_seconds: int) -> None:
        """Ring, pick up, hear the whisper, press 1, talk, hang up: the callbacks of an answered call."""
        self.status("ringing", 1)
        self.status("in-progress", 1 + ring_seconds)
        self.whisper(1 + ring_seconds)
        self.press("1", 4 + ring_seconds)
        end = 4 + ring_seconds + talk_seconds
        self.dial_result("completed", talk_seconds, end)
        self.status("completed", end)


def _missed_after_ringing(call: DemoCall, ring_timeout: int) -> None:
    call.status("ringing", 1)
    call.status("no-answer", 1 + ring_timeout)
    call.dial_result("no-answer", 0, 1 + ring_timeout)


def case_answered(call: DemoCall) -> None:
    call.voice()
    call.answered_by_contractor(ring_seconds=12, talk_seconds=184)
    call.recording("DialVerb", 184, 200)


def case_missed(call: DemoCall) -> None:
    call.voice()
    _missed_after_ringing(call, 20)
    call.voicemail(18, 45)
    call.recording("RecordVerb", 18, 50)


def case_voicemail_box_picked_up(call: DemoCall) -> None:
    call.voice()
    call.status("ringing", 1)
    call.status("in-progress", 9)
    call.whisper(9)
    # The voicemail box plays its greeting over the whisper and presses nothing; the leg hangs up.
    call.status("completed", 27)
    call.dial_result("completed", 0, 27)


def case_after_hours_forward(call: DemoCall) -> None:
    call.voice()
    call.answered_by_contractor(ring_seconds=7, talk_seconds=95)


def case_after_hours_voicemail(call: DemoCall) -> None:
    call.voice()
    call.voicemail(25, 40)
    call.recording("RecordVerb", 25, 46)


def case_unowned_zip(call: DemoCall) -> None:
    call.voice()
    call.answered_by_contractor(ring_seconds=5, talk_seconds=240)


def case_paused_contractor(call: DemoCall) -> None:
    call.voice()
    _missed_after_ringing(call, 30)
    call.voicemail(12, 55)


def case_zip_entered(call: DemoCall) -> None:
    call.voice()
    call.enter_zip("75204", 9)
    call.status("ringing", 10)
    call.status("in-progress", 16)
    call.whisper(16)
    call.press("1", 19)
    call.dial_result("completed", 300, 319)
    call.status("completed", 319)


def case_zip_default(call: DemoCall) -> None:
    call.voice()
    call.enter_zip("", 9)
    call.enter_zip("", 18, retry=True)
    call.status("ringing", 19)
    call.status("no-answer", 39)
    call.dial_result("no-answer", 0, 39)


def case_out_of_order(call: DemoCall) -> None:
    call.voice()
    call.whisper(19)
    call.press("1", 22)
    # Twilio delivered the completed event first, then answered, then ringing twice.
    call.status("completed", 152)
    call.status("in-progress", 19)
    call.status("ringing", 1)
    call.status("ringing", 1)
    call.dial_result("completed", 130, 152)


def case_withheld_caller(call: DemoCall) -> None:
    call.voice()
    _missed_after_ringing(call, 20)


def case_unknown_number(call: DemoCall) -> None:
    call.voice()
    call.answered_by_contractor(ring_seconds=4, talk_seconds=60)


@dataclass(frozen=True)
class Case:
    name: str
    to: str
    caller: str
    dallas_time: time
    run: Callable[[DemoCall], None]


CASES = (
    Case("answered (Dallas, fixed ZIP)", DALLAS_NUMBER, "+14695550111", time(9, 0), case_answered),
    Case("missed, no answer + voicemail", DALLAS_NUMBER, "+14695550122", time(9, 20), case_missed),
    Case(
        "voicemail box picked up, no key",
        BOSTON_NUMBER,
        "+16175550133",
        time(9, 40),
        case_voicemail_box_picked_up,
    ),
    Case("ask ZIP, caller entered 75204", DFW_NUMBER, "+18175550144", time(10, 0), case_zip_entered),
    Case("ask ZIP, no digits twice", DFW_NUMBER, "+18175550155", time(10, 20), case_zip_default),
    Case("unowned ZIP (Houston)", HOUSTON_NUMBER, "+17135550166", time(10, 40), case_unowned_zip),
    Case("paused contractor (Denver)", DENVER_NUMBER, "+13035550177", time(11, 0), case_paused_contractor),
    Case("out-of-order callbacks", DALLAS_NUMBER, "+14695550188", time(11, 20), case_out_of_order),
    Case("withheld caller ID", DALLAS_NUMBER, "anonymous", time(11, 40), case_withheld_caller),
    Case("unknown tracking number", UNKNOWN_NUMBER, "+19725550199", time(12, 0), case_unknown_number),
    Case(
        "after hours, forward (Dallas)", DALLAS_NUMBER, "+14695550100", time(21, 30), case_after_hours_forward
    ),
    Case(
        "after hours, voicemail (Boston)",
        BOSTON_NUMBER,
        "+16175550111",
        time(21, 30),
        case_after_hours_voicemail,
    ),
)


def describe_lead(lead: dict[str, Any] | None) -> list[str]:
    if lead is None:
        return ["  lead: not stored"]
    owner = lead.get("contractor_id")
    if lead.get("assignment") == "unassigned":
        owner = f"{owner} ({lead.get('unassigned_reason')})"
    lines = [
        f"  lead: {lead['lead_id']}  {lead.get('trade', '-')} ZIP {lead.get('zip', '-')} "
        f"({lead.get('zip_source', '-')}) -> {owner}",
        f"        route {lead.get('route_action')}, after hours {lead.get('after_hours')}, "
        f"call_result {lead.get('call_result')}, accepted {lead.get('accepted', False)}",
    ]
    if lead.get("seconds_to_answer") is not None:
        # The leg's pick-up time is stored for every call; only a key press makes it "answered".
        picked_up = "answered" if lead.get("call_result") == "answered" else "picked up without a key press"
        lines.append(f"        {picked_up} in {ring_text(lead)} (ringing {lead.get('ringing_at')})")
    if lead.get("voicemail_left"):
        lines.append(f"        voicemail left: {lead.get('recording_url')}")
    return lines


def ring_text(lead: dict[str, Any]) -> str:
    seconds = float(lead["seconds_to_answer"])
    rings = max(1, math.ceil(seconds / RING_SECONDS))
    return f"{seconds:g} s, {rings} ring{'s' if rings > 1 else ''}"


def summarise(lead: dict[str, Any] | None, sms_count: int) -> str:
    if lead is None:
        return "no lead stored"
    result = str(lead.get("call_result"))
    if lead.get("seconds_to_answer") is not None and result == "answered":
        result += f" in {ring_text(lead)}"
    if lead.get("voicemail_left"):
        result += ", voicemail"
    owner = lead.get("contractor_id")
    if lead.get("assignment") == "unassigned":
        owner = f"unassigned: {lead.get('unassigned_reason')}"
    return f"{result}; {owner}; {sms_count} SMS"


def replay_calls(context: ReplayContext) -> list[SummaryRow]:
    day = demo_day(datetime.now(DALLAS).date())
    context.notes["calls_day"] = day.isoformat()
    outbox = context.out_dir / "sms.jsonl"
    rows: list[SummaryRow] = []
    report = [f"Calls replayed on {day:%A %d %B %Y} (Dallas time), signed with the local auth token.", ""]
    saved_override = os.environ.get(CLOCK_OVERRIDE)
    try:
        answered_call: DemoCall | None = None
        for case in CASES:
            started = datetime.combine(day, case.dallas_time, tzinfo=DALLAS)
            call = DemoCall(context, case.to, case.caller, started)
            sms_before = len(read_outbox(str(outbox)))
            case.run(call)
            sms = read_outbox(str(outbox))[sms_before:]
            lead = leads.get_lead(call.call_sid, consistent=True)
            report += [f"{case.name}  {started:%H:%M} Dallas", *call.lines, *describe_lead(lead)]
            report += [f"  sms to {message['to']}: {message['body']}" for message in sms]
            report.append("")
            rows.append(SummaryRow("calls", case.name, summarise(lead, len(sms))))
            if answered_call is None:
                answered_call = call
        if answered_call is not None:
            rows.append(replay_retry(answered_call, report))
    finally:
        if saved_override is None:
            os.environ.pop(CLOCK_OVERRIDE, None)
        else:
            os.environ[CLOCK_OVERRIDE] = saved_override
    (context.out_dir / "calls.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    return rows


def replay_retry(call: DemoCall, report: list[str]) -> SummaryRow:
    """Post the first call's voice webhook again, as Twilio does when an answer is lost."""
    before = leads.get_lead(call.call_sid, consistent=True)
    retried = call.voice()
    after = leads.get_lead(call.call_sid, consistent=True)
    same = before is not None and retried.body == before.get("twiml")
    unchanged = before == after
    report += [
        "retried voice webhook for the first call",
        *call.lines[-1:],
        f"  same TwiML as stored: {same}; lead unchanged: {unchanged}",
        "",
    ]
    result = "same TwiML, no new lead" if same and unchanged else "DIFFERENT answer or lead changed"
    return SummaryRow("calls", "retried voice webhook", result)
