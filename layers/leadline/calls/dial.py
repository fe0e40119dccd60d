"""The contractor's side of a call and its outcome: whisper, key press, dial result, voicemail.

Only a key press on the whisper counts as answered, so a contractor's voicemail box that picks
up never makes a connected lead. The dial result decides ``call_result`` once, with a write
that is conditional on the lead still being pending; a retry finds it decided and returns the
same TwiML. The write that decides "missed" also claims the missed-call SMS, so it is sent once.
"""

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from leadline.calls import clock, twiml
from leadline.calls.notify import notify_missed_call
from leadline.calls.settings import CallSettings
from leadline.calls.webhooks import DialResult, LegRequest, VoicemailResult
from leadline.clock import to_iso
from leadline.observability import logger, metrics
from leadline.storage import call_leads, leads

ACCEPT_KEY = "1"
# DialCallStatus values for a leg that connected; only a key press makes the lead answered.
CONNECTED_STATUSES = frozenset({"completed", "answered"})


def answer_whisper(leg: LegRequest, settings: CallSettings) -> str:
    """Return the whisper for the contractor's leg, naming the lead's trade and site."""
    try:
        # Consistent, because the lead was written only seconds before the leg picked up.
        lead = leads.get_lead(leg.parent_call_sid, consistent=True)
    except (BotoCoreError, ClientError) as error:
        logger.error(
            "whisper: lead read failed", lead_id=leg.parent_call_sid, error_type=type(error).__name__
        )
        lead = None
    lead = lead or {}
    text = twiml.whisper_text(
        trade=lead.get("trade"),
        site=lead.get("site"),
        assigned=lead.get("assignment", "assigned") == "assigned",
    )
    return twiml.whisper(settings, text)


def answer_whisper_key(leg: LegRequest) -> str:
    """Connect the call on the accept key and record the acceptance; hang up the leg otherwise."""
    if leg.digits != ACCEPT_KEY:
        logger.info("whisper declined", lead_id=leg.parent_call_sid)
        return twiml.hang_up()
    try:
        outcome = call_leads.update_call_lead(
            leg.parent_call_sid,
            {"accepted": True},
            condition="attribute_exists(lead_id)",
            set_if_absent={"accepted_at": to_iso(clock.now())},
        )
    except (BotoCoreError, ClientError) as error:
        # NOTE: the call still connects, but the dial result will count it as missed.
        logger.error(
            "whisper accept not stored", lead_id=leg.parent_call_sid, error_type=type(error).__name__
        )
        return twiml.empty()
    if outcome.written:
        metrics.add_metric(name="CallAccepted", unit="Count", value=1)
    else:
        logger.warning("whisper accept for an unknown call", lead_id=leg.parent_call_sid)
    return twiml.empty()


def answer_dial_result(result: DialResult, settings: CallSettings) -> str:
    """Decide answered or missed from DialCallStatus and the key press, then continue the call."""
    connected = result.dial_call_status in CONNECTED_STATUSES
    try:
        if connected:
            outcome = call_leads.update_call_lead(
                result.call_sid,
                {
                    "call_result": "answered",
                    "dial_status": result.dial_call_status,
                    "connected_seconds": result.dial_call_duration,
                },
                condition="call_result = :pending AND accepted = :accepted",
                values={"pending": "pending", "accepted": True},
            )
            if outcome.written:
                logger.info(
                    "call answered", call_sid=result.call_sid, connected_seconds=result.dial_call_duration
                )
                metrics.add_metric(name="CallAnswered", unit="Count", value=1)
                return twiml.hang_up()
            if outcome.lead is None or outcome.lead.get("call_result") != "pending":
                return _repeat_answer(outcome.lead, connected, settings)

        outcome = call_leads.update_call_lead(
            result.call_sid,
            {
                "call_result": "missed",
                "dial_status": result.dial_call_status,
                "missed_notified_at": to_iso(clock.now()),
            },
            condition="call_result = :pending",
            values={"pending": "pending"},
            return_new=True,
        )
    except (BotoCoreError, ClientError) as error:
        logger.error("dial result not stored", call_sid=result.call_sid, error_type=type(error).__name__)
        return twiml.hang_up() if connected else twiml.voicemail(settings)

    if not outcome.written:
        return _repeat_answer(outcome.lead, connected, settings)
    logger.info("call missed", call_sid=result.call_sid, dial_status=result.dial_call_status)
    metrics.add_metric(name="CallMissed", unit="Count", value=1)
    if outcome.lead is not None:
        notify_missed_call(outcome.lead)
    return twiml.voicemail(settings)


def _repeat_answer(lead: dict[str, Any] | None, connected: bool, settings: CallSettings) -> str:
    """Return the TwiML for a dial result that was already decided, or for an unknown call."""
    if lead is None:
        logger.warning("dial result for an unknown call")
        return twiml.hang_up() if connected else twiml.voicemail(settings)
    logger.info("dial result retried; returning the same TwiML", call_sid=lead["lead_id"])
    return twiml.hang_up() if lead.get("call_result") == "answered" else twiml.voicemail(settings)


def answer_voicemail_end(result: VoicemailResult) -> str:
    """Mark the voicemail as left, send the after-hours SMS if nobody sent one yet, say goodbye."""
    try:
        if result.recording_url or result.recording_duration > 0:
            call_leads.update_call_lead(
                result.call_sid, {"voicemail_left": True}, condition="attribute_exists(lead_id)"
            )
        claim = call_leads.update_call_lead(
            result.call_sid,
            {"missed_notified_at": to_iso(clock.now())},
            condition=(
                "attribute_exists(lead_id) AND call_result = :missed"
                " AND attribute_not_exists(missed_notified_at)"
            ),
            values={"missed": "missed"},
            return_new=True,
        )
    except (BotoCoreError, ClientError) as error:
        logger.error("voicemail end not stored", call_sid=result.call_sid, error_type=type(error).__name__)
        return twiml.thanks_after_voicemail()
    if claim.written and claim.lead is not None:
        notify_missed_call(claim.lead)
    return twiml.thanks_after_voicemail()
