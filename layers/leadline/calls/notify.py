"""SMS for missed calls and voicemails: to the contractor, and a text-back to the homeowner.

Each message is sent by the one request whose conditional write claimed it (see ``dial`` and
``callbacks``), so a retried webhook sends nothing twice. A failed SMS is logged and counted,
never retried, and never changes the TwiML.
"""

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from twilio.base.exceptions import TwilioException

from leadline.calls.auth_token import twilio_auth_token
from leadline.notifications import send_sms
from leadline.observability import logger, metrics
from leadline.storage import routes

DISPLAY_TRADES = {"hvac": "HVAC"}


def _trade(lead: dict[str, Any]) -> str:
    trade = str(lead.get("trade") or "home service")
    return DISPLAY_TRADES.get(trade, trade)


def _caller(lead: dict[str, Any]) -> str:
    return str(lead["caller_phone"]) if lead.get("caller_phone") else "number withheld"


def _source(lead: dict[str, Any]) -> str:
    return f"exclusive {_trade(lead)} lead from {lead.get('site')} (ZIP {lead.get('zip')})"


def missed_call_text(lead: dict[str, Any]) -> str:
    if lead.get("route_action") == "voicemail":
        return (
            f"After-hours call: {_source(lead)}. Caller: {_caller(lead)}. "
            "A voicemail link follows if they left one."
        )
    return (
        f"Missed call: {_source(lead)}. Caller: {_caller(lead)}. "
        "Call back soon; a voicemail link follows if they leave one."
    )


def voicemail_text(lead: dict[str, Any], recording_url: str) -> str:
    link = recording_url if recording_url.endswith((".mp3", ".wav")) else recording_url + ".mp3"
    return f"Voicemail from {_caller(lead)}, {_source(lead)}: {link}"


def text_back_text(lead: dict[str, Any], route: dict[str, Any]) -> str:
    return (
        f"Thanks for calling {lead.get('site')}. Sorry we missed you: "
        f"{route.get('contractor_name')} will call you back soon."
    )


def notify_missed_call(lead: dict[str, Any]) -> None:
    """Text the owner about a missed call, and the caller a text-back when the owner wants one."""
    route = _owner_route(lead)
    if route is None:
        return
    _send(_owner_phone(route), missed_call_text(lead), lead, kind="missed_call")
    if route.get("text_back") and lead.get("caller_phone"):
        _send(str(lead["caller_phone"]), text_back_text(lead, route), lead, kind="text_back")


def notify_voicemail(lead: dict[str, Any], recording_url: str) -> None:
    """Text the owner the link to the homeowner's voicemail."""
    route = _owner_route(lead)
    if route is not None:
        _send(_owner_phone(route), voicemail_text(lead, recording_url), lead, kind="voicemail")


def _owner_phone(route: dict[str, Any]) -> str:
    return str(route.get("sms_phone") or route["forward_to"])


def _owner_route(lead: dict[str, Any]) -> dict[str, Any] | None:
    """Return the route item of an assigned lead, for the owner's SMS number and text-back choice.

    Unassigned leads get no SMS: the agency's fallback line has no SMS number in the config.
    """
    if lead.get("assignment") != "assigned":
        logger.info("no sms for an unassigned lead", lead_id=lead.get("lead_id"))
        return None
    try:
        route = routes.get_route(str(lead["trade"]), str(lead["zip"]))
    except (BotoCoreError, ClientError) as error:
        logger.error(
            "sms skipped: route read failed", lead_id=lead.get("lead_id"), error_type=type(error).__name__
        )
        metrics.add_metric(name="SmsFailed", unit="Count", value=1)
        return None
    if route is None or route.get("contractor_id") != lead.get("contractor_id"):
        # The slot was released or transferred since the call; the new owner must not get it.
        logger.warning("sms skipped: the lead's owner no longer owns the route", lead_id=lead.get("lead_id"))
        return None
    return route


def _send(to: str, body: str, lead: dict[str, Any], *, kind: str) -> None:
    try:
        sent = send_sms(to, body, from_number=lead.get("tracking_number"), auth_token=twilio_auth_token())
    except (TwilioException, RuntimeError, OSError) as error:
        logger.error("sms failed", kind=kind, lead_id=lead.get("lead_id"), error_type=type(error).__name__)
        metrics.add_metric(name="SmsFailed", unit="Count", value=1)
        return
    logger.info("sms sent", kind=kind, lead_id=lead.get("lead_id"), sms_sid=sent.sid)
    metrics.add_metric(name="SmsSent", unit="Count", value=1)
