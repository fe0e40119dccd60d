"""Status and recording callbacks: late, repeated and out of order, so every update is monotonic.

A leg's ``leg_status`` only moves forward (ringing, then in-progress, then a final status),
and each event's time (``ringing_at``, ``answered_at``, ``completed_at``) is set once, by the
first event of its kind, whenever it arrives. Times come from Twilio's ``Timestamp`` (whole
seconds), not from arrival, so ``seconds_to_answer`` is right however late the callbacks were.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from email.utils import parsedate_to_datetime

from botocore.exceptions import BotoCoreError, ClientError

from leadline.calls import clock
from leadline.calls.notify import notify_voicemail
from leadline.calls.webhooks import LegStatusCallback, RecordingCallback
from leadline.clock import from_iso, to_iso
from leadline.observability import logger
from leadline.storage import call_leads, leads

FINAL_STATUSES = ("completed", "busy", "no-answer", "canceled", "failed")
STAGES = {"queued": 0, "initiated": 0, "ringing": 1, "in-progress": 2} | dict.fromkeys(FINAL_STATUSES, 3)
TIME_ATTRIBUTES = {"ringing": "ringing_at", "in-progress": "answered_at"} | dict.fromkeys(
    FINAL_STATUSES, "completed_at"
)
VOICEMAIL_SOURCE = "RecordVerb"


def event_time(timestamp: str) -> datetime:
    """Return Twilio's RFC 2822 event time, or now when it is missing or unreadable."""
    try:
        return parsedate_to_datetime(timestamp)
    except (TypeError, ValueError):
        return clock.now()


def record_leg_status(callback: LegStatusCallback) -> None:
    """Store one status event of the contractor's leg on the parent call's lead."""
    lead_id = callback.parent_call_sid
    status = callback.call_status
    time_attribute = TIME_ATTRIBUTES.get(status)
    times = {time_attribute: to_iso(event_time(callback.timestamp))} if time_attribute else {}
    earlier = [name for name, stage in STAGES.items() if stage < STAGES[status]]
    placeholders = {f"s{index}": name for index, name in enumerate(earlier)}
    allowed = ", ".join(f":{key}" for key in placeholders)
    condition = "attribute_exists(lead_id) AND (attribute_not_exists(leg_status)"
    condition += f" OR leg_status IN ({allowed}))" if allowed else ")"

    outcome = call_leads.update_call_lead(
        lead_id,
        {"leg_status": status},
        condition=condition,
        values=placeholders,
        set_if_absent=times,
        return_new=True,
    )
    if not outcome.written:
        if outcome.lead is None:
            logger.warning("status callback for an unknown call", lead_id=lead_id, call_status=status)
            return
        logger.info("late status callback; keeping its time only", lead_id=lead_id, call_status=status)
        if not times:
            return
        outcome = call_leads.update_call_lead(
            lead_id, {}, condition="attribute_exists(lead_id)", set_if_absent=times, return_new=True
        )
    if outcome.lead is not None:
        _store_seconds_to_answer(outcome.lead)


def _store_seconds_to_answer(lead: dict[str, object]) -> None:
    ringing, answered = lead.get("ringing_at"), lead.get("answered_at")
    if not ringing or not answered or "seconds_to_answer" in lead:
        return
    elapsed = from_iso(str(answered)) - from_iso(str(ringing))
    seconds = max(Decimal(0), Decimal(elapsed // timedelta(milliseconds=1)) / 1000)
    call_leads.update_call_lead(
        str(lead["lead_id"]),
        {"seconds_to_answer": seconds},
        condition="attribute_exists(lead_id) AND attribute_not_exists(seconds_to_answer)",
    )


def record_recording(callback: RecordingCallback) -> None:
    """Store a finished recording. A voicemail also texts its link to the owner, once per recording."""
    if callback.recording_status != "completed" or not callback.recording_url:
        logger.info(
            "recording not available", call_sid=callback.call_sid, recording_status=callback.recording_status
        )
        return
    if _is_voicemail(callback):
        outcome = call_leads.update_call_lead(
            callback.call_sid,
            {
                "recording_url": callback.recording_url,
                "recording_sid": callback.recording_sid,
                "voicemail_left": True,
                "voicemail_seconds": callback.recording_duration,
            },
            condition=(
                "attribute_exists(lead_id) AND (attribute_not_exists(recording_sid) OR recording_sid <> :sid)"
            ),
            values={"sid": callback.recording_sid},
            return_new=True,
        )
        if outcome.written and outcome.lead is not None:
            notify_voicemail(outcome.lead, callback.recording_url)
        elif outcome.lead is None:
            logger.warning("voicemail for an unknown call", call_sid=callback.call_sid)
        return
    # A recorded conversation never replaces a voicemail's link.
    call_leads.update_call_lead(
        callback.call_sid,
        {"recording_url": callback.recording_url, "recording_sid": callback.recording_sid},
        condition="attribute_exists(lead_id) AND attribute_not_exists(recording_url)",
    )


def _is_voicemail(callback: RecordingCallback) -> bool:
    """Return whether the recording is the homeowner's voicemail rather than the conversation.

    RecordingSource names the verb that recorded it. Without it, only a missed call can have a
    voicemail.
    """
    if callback.recording_source:
        return callback.recording_source == VOICEMAIL_SOURCE
    try:
        lead = leads.get_lead(callback.call_sid, consistent=True)
    except (BotoCoreError, ClientError):
        return False
    return bool(lead and lead.get("call_result") == "missed")
