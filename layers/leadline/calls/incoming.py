"""The voice webhook and the ZIP gather: route the call, store the lead, return TwiML.

On a warm Lambda a fixed-ZIP call costs one read (the route item) and one conditional write
(the lead) before the TwiML is returned, because the tracking number comes from
``config_cache`` and the route item carries the owner's dial settings.

Ask-for-ZIP numbers first store a placeholder lead (``zip_source`` "pending", unassigned with
reason "no_zip", ``call_result`` "pending"), so a caller who hangs up during the prompt is still
a lead. The ZIP step then replaces it with the routed lead.

If DynamoDB fails, the caller still reaches a person: the TwiML dials the agency's fallback
number without callbacks, and the lead goes to the fallback queue for ``recovery``.
"""

import re
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from leadline.calls import clock, config_cache, twiml
from leadline.calls.leads import new_call_lead
from leadline.calls.routing import CallPlan, fallback_plan, plan_call
from leadline.calls.settings import CallSettings
from leadline.calls.signature import FormParams
from leadline.calls.webhooks import CallRequest, parse_params
from leadline.observability import logger, metrics
from leadline.storage import call_leads, lead_queue, routes
from leadline.storage.leads import UNASSIGNED

_ZIP = re.compile(r"^\d{5}$")


def answer_incoming_call(call: CallRequest, settings: CallSettings) -> str:
    """Route a new call and store its lead before returning the TwiML.

    A retried webhook (same CallSid) gets the stored TwiML and writes nothing.
    """
    moment = clock.now()
    number: dict[str, Any] | None = None
    zip_code: str | None = None
    try:
        number = config_cache.tracking_number(call.called) if call.called else None
        if number is not None and number.get("ask_zip"):
            lead = _zip_placeholder(call, number, moment, settings)
        else:
            zip_code = number.get("zip") if number else None
            lead = _routed_lead(call, number, moment, settings, zip_code=zip_code, zip_source="fixed")
        outcome = call_leads.create_call_lead(lead)
    except (BotoCoreError, ClientError) as error:
        zip_source = "fixed" if zip_code else None
        return _answer_without_storage(call, number, moment, settings, error, zip_code, zip_source)

    if not outcome.written:
        logger.info("voice webhook retried; returning the stored TwiML", call_sid=call.call_sid)
        metrics.add_metric(name="WebhookRetried", unit="Count", value=1)
        return _stored_twiml(outcome.lead, number, settings)
    _log_routed(lead)
    return str(lead["twiml"])


def answer_zip_entry(call: CallRequest, settings: CallSettings, *, final_attempt: bool) -> str:
    """Route a call once the caller entered a ZIP, or after the last attempt with the default ZIP.

    An invalid first entry gets the prompt once more, and nothing is written.
    """
    entered = call.digits.strip() if _ZIP.match(call.digits.strip()) else None
    if entered is None and not final_attempt:
        return twiml.ask_for_zip(settings, site=None, retry=True, disclose=False)

    moment = clock.now()
    number: dict[str, Any] | None = None
    zip_code, zip_source = _chosen_zip(None, entered)
    try:
        number = config_cache.tracking_number(call.called) if call.called else None
        zip_code, zip_source = _chosen_zip(number, entered)
        lead = _routed_lead(call, number, moment, settings, zip_code=zip_code, zip_source=zip_source)
        outcome = call_leads.store_over_placeholder(lead)
    except (BotoCoreError, ClientError) as error:
        return _answer_without_storage(call, number, moment, settings, error, zip_code, zip_source)

    if not outcome.written:
        logger.info("zip webhook retried; returning the stored TwiML", call_sid=call.call_sid)
        metrics.add_metric(name="WebhookRetried", unit="Count", value=1)
        return _stored_twiml(outcome.lead, number, settings)
    _log_routed(lead)
    return str(lead["twiml"])


def answer_after_error(params: FormParams, settings: CallSettings, error: Exception) -> str:
    """Dial the agency and queue the lead after an unexpected error while routing a call.

    Uses only cached records, because the error may have come from a stored record.
    """
    call = parse_params(CallRequest, params)
    number = config_cache.cached_tracking_number(call.called)
    return _answer_without_storage(call, number, clock.now(), settings, error, None, None)


class PrimaryHandlerFailedError(Exception):
    """Twilio reported that the voice URL failed; ``ErrorCode`` is Twilio's error code."""


def answer_primary_failure(params: FormParams, settings: CallSettings) -> str:
    """Answer Twilio's fallback request: dial the agency and queue the lead, without DynamoDB.

    Twilio calls this URL only when the voice URL failed or timed out, which may be because
    DynamoDB is failing, so only cached records are read. A lead the voice URL stored before it
    failed is not duplicated: recovery skips leads already in the table.
    """
    call = parse_params(CallRequest, params)
    error_code = next((value for key, value in params if key == "ErrorCode"), "")
    number = config_cache.cached_tracking_number(call.called)
    error = PrimaryHandlerFailedError(error_code or "unknown")
    return _answer_without_storage(call, number, clock.now(), settings, error, None, None)


def _chosen_zip(number: dict[str, Any] | None, entered: str | None) -> tuple[str | None, str | None]:
    if number is None:
        return entered, "caller" if entered else None
    if entered:
        return entered, "caller"
    if number.get("default_zip"):
        return str(number["default_zip"]), "default"
    return number.get("zip"), "fixed"


def _zip_placeholder(
    call: CallRequest, number: dict[str, Any], moment: datetime, settings: CallSettings
) -> dict[str, Any]:
    document = twiml.ask_for_zip(
        settings, site=str(number["site"]), retry=False, disclose=_discloses_recording(number)
    )
    return {
        **new_call_lead(call, number, moment),
        "zip_source": "pending",
        "contractor_id": UNASSIGNED,
        "assignment": "unassigned",
        "unassigned_reason": "no_zip",
        "twiml": document,
    }


def _routed_lead(
    call: CallRequest,
    number: dict[str, Any] | None,
    moment: datetime,
    settings: CallSettings,
    *,
    zip_code: str | None,
    zip_source: str | None,
) -> dict[str, Any]:
    """Return the complete lead of a routed call, with the TwiML that routes it."""
    if number is None:
        agency = config_cache.agency_settings() or {}
        plan = fallback_plan("unknown_number", agency.get("fallback_number") or settings.fallback_number)
    else:
        route = routes.get_route(str(number["trade"]), zip_code) if zip_code else None
        plan = plan_call(route, _fallback_number(number, settings), moment)

    record = bool(number and number.get("record_calls"))
    # Ask-for-ZIP numbers played the disclosure before the ZIP prompt.
    disclose = bool(number and not number.get("ask_zip") and _discloses_recording(number))
    document = twiml.route_call(
        plan, settings, site=number.get("site") if number else None, record=record, disclose=disclose
    )
    return {
        **new_call_lead(call, number, moment),
        "zip": zip_code if number else None,
        "zip_source": zip_source if number and zip_code else None,
        **plan.lead_fields(),
        # The caller goes straight to voicemail, so nobody can answer this call any more.
        "call_result": "missed" if plan.route_action == "voicemail" else "pending",
        "twiml": document,
    }


def _discloses_recording(number: dict[str, Any]) -> bool:
    return bool(number.get("record_calls") and number.get("recording_disclosure"))


def _fallback_number(number: dict[str, Any] | None, settings: CallSettings) -> str | None:
    if number and number.get("fallback_number"):
        return str(number["fallback_number"])
    agency = config_cache.agency_settings() or {}
    return agency.get("fallback_number") or settings.fallback_number


def _known_fallback_number(number: dict[str, Any] | None, settings: CallSettings) -> str | None:
    """Return a fallback number without reading DynamoDB: cached records, then the environment."""
    agency = config_cache.cached_agency_settings() or {}
    return (number or {}).get("fallback_number") or agency.get("fallback_number") or settings.fallback_number


def _stored_twiml(lead: dict[str, Any] | None, number: dict[str, Any] | None, settings: CallSettings) -> str:
    if lead and lead.get("twiml"):
        return str(lead["twiml"])
    return twiml.dial_fallback(_known_fallback_number(number, settings))


def _answer_without_storage(
    call: CallRequest,
    number: dict[str, Any] | None,
    moment: datetime,
    settings: CallSettings,
    error: Exception,
    zip_code: str | None,
    zip_source: str | None,
) -> str:
    """Dial the agency and queue the lead, because a DynamoDB request or the routing failed."""
    fallback = _known_fallback_number(number, settings)
    document = twiml.dial_fallback(fallback)
    plan: CallPlan = fallback_plan("storage_error", fallback)
    lead = {
        **new_call_lead(call, number, moment),
        "zip": zip_code,
        "zip_source": zip_source if zip_code else None,
        **plan.lead_fields(),
        "route_action": "fallback",
        "twiml": document,
    }
    logger.error(
        "call not stored; dialling the agency fallback",
        call_sid=call.call_sid,
        error_type=type(error).__name__,
        error_code=_error_code(error),
    )
    metrics.add_metric(name="LeadStorageFailed", unit="Count", value=1)
    queue_lead(lead, settings)
    return document


def queue_lead(lead: dict[str, Any], settings: CallSettings) -> None:
    """Put a lead on the fallback queue. Logs an error, and raises nothing, when that fails too."""
    try:
        queue_url = settings.fallback_queue_url or lead_queue.local_queue_url()
        message_id = lead_queue.send_lead(queue_url, lead)
    except (BotoCoreError, ClientError) as error:
        logger.error(
            "lead lost: sending it to the fallback queue failed too",
            lead_id=lead["lead_id"],
            error_type=type(error).__name__,
            error_code=_error_code(error),
        )
        metrics.add_metric(name="LeadLost", unit="Count", value=1)
        return
    logger.warning("lead queued for recovery", lead_id=lead["lead_id"], message_id=message_id)
    metrics.add_metric(name="LeadQueued", unit="Count", value=1)


def _error_code(error: Exception) -> str | None:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code"))
    return None


_ROUTE_METRICS = {"forward": "CallForwarded", "voicemail": "CallToVoicemail", "fallback": "CallToFallback"}


def _log_routed(lead: dict[str, Any]) -> None:
    action = lead.get("route_action")
    logger.info(
        "call routed",
        call_sid=lead["lead_id"],
        route_action=action or "ask_zip",
        contractor_id=lead.get("contractor_id"),
        zip_source=lead.get("zip_source"),
        after_hours=lead.get("after_hours"),
        unassigned_reason=lead.get("unassigned_reason"),
    )
    metric = _ROUTE_METRICS.get(str(action), "CallAskedForZip")
    metrics.add_metric(name=metric, unit="Count", value=1)
