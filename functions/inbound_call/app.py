"""Twilio voice webhooks for tracking numbers (every route under /twilio/voice).

Each route: signature check (middleware) -> parameters as a model -> one call into
``leadline.calls`` -> TwiML. Every response, errors included, is TwiML with an XML content type.
"""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from leadline.calls import callbacks, dial, incoming, paths, twiml
from leadline.calls.auth_token import twilio_auth_token
from leadline.calls.errors import InvalidWebhookError, WebhookRejectedError
from leadline.calls.settings import call_settings
from leadline.calls.signature import FormParams, verify_webhook
from leadline.calls.webhooks import (
    CallRequest,
    DialResult,
    LegRequest,
    LegStatusCallback,
    RecordingCallback,
    VoicemailResult,
    parse_params,
)
from leadline.observability import logger, metrics
from leadline.settings import MissingSettingError

app = APIGatewayRestResolver()


def twiml_response(document: str, status_code: int = 200) -> Response[str]:
    return Response(status_code=status_code, content_type=twiml.CONTENT_TYPE, body=document)


def verify_twilio_signature(router: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Reject any request that Twilio did not sign for this route's public URL, before any work."""
    event = router.current_event
    route_path = event.resource
    try:
        params = verify_webhook(event.raw_event, call_settings().url(route_path), twilio_auth_token())
    except WebhookRejectedError as error:
        logger.warning("twilio webhook rejected", reason=error.reason, path=route_path)
        metrics.add_metric(name="WebhookRejected", unit="Count", value=1)
        return twiml_response(twiml.reject(), 403)
    router.append_context(twilio_params=params)
    return next_middleware(router)


app.use(middlewares=[verify_twilio_signature])


def params() -> FormParams:
    return list(app.context["twilio_params"])


@app.post(paths.VOICE)
def incoming_call() -> Response[str]:
    call = parse_params(CallRequest, params())
    return twiml_response(incoming.answer_incoming_call(call, call_settings()))


@app.post(paths.ZIP)
def zip_entry() -> Response[str]:
    call = parse_params(CallRequest, params())
    return twiml_response(incoming.answer_zip_entry(call, call_settings(), final_attempt=False))


@app.post(paths.ZIP_RETRY)
def zip_retry() -> Response[str]:
    call = parse_params(CallRequest, params())
    return twiml_response(incoming.answer_zip_entry(call, call_settings(), final_attempt=True))


@app.post(paths.WHISPER)
def whisper() -> Response[str]:
    leg = parse_params(LegRequest, params())
    return twiml_response(dial.answer_whisper(leg, call_settings()))


@app.post(paths.WHISPER_ACCEPT)
def whisper_key() -> Response[str]:
    leg = parse_params(LegRequest, params())
    return twiml_response(dial.answer_whisper_key(leg))


@app.post(paths.DIAL_RESULT)
def dial_result() -> Response[str]:
    result = parse_params(DialResult, params())
    return twiml_response(dial.answer_dial_result(result, call_settings()))


@app.post(paths.VOICEMAIL)
def voicemail_end() -> Response[str]:
    result = parse_params(VoicemailResult, params())
    return twiml_response(dial.answer_voicemail_end(result))


@app.post(paths.STATUS)
def leg_status() -> Response[str]:
    callbacks.record_leg_status(parse_params(LegStatusCallback, params()))
    return twiml_response(twiml.empty())


@app.post(paths.RECORDING)
def recording() -> Response[str]:
    callbacks.record_recording(parse_params(RecordingCallback, params()))
    return twiml_response(twiml.empty())


@app.post(paths.FALLBACK)
def primary_handler_failed() -> Response[str]:
    return twiml_response(incoming.answer_primary_failure(params(), call_settings()))


@app.exception_handler(InvalidWebhookError)
def invalid_webhook(error: InvalidWebhookError) -> Response[str]:
    logger.warning("twilio webhook invalid", fields=error.fields, path=app.current_event.resource)
    return twiml_response(twiml.hang_up(), 400)


@app.exception_handler(MissingSettingError)
def missing_setting(error: MissingSettingError) -> Response[str]:
    logger.error("voice function misconfigured", error=str(error))
    return twiml_response(twiml.sorry_and_hang_up(), 500)


@app.exception_handler([BotoCoreError, ClientError])
def storage_failure(error: Exception) -> Response[str]:
    # Caller-facing routes handle storage errors themselves; this is for the callbacks.
    logger.error("callback not stored", path=app.current_event.resource, error_type=type(error).__name__)
    return twiml_response(twiml.empty(), 500)


@app.exception_handler(Exception)
def unexpected_error(error: Exception) -> Response[str]:
    # Twilio reads a 5xx on a call's own request as an application error and plays its own
    # message, so the caller-facing routes return 200: routing requests still dial the agency
    # and queue the lead, and the others apologise.
    path = app.current_event.resource
    logger.exception("unexpected error in a twilio webhook", path=path)
    if path in paths.ROUTING:
        try:
            return twiml_response(incoming.answer_after_error(params(), call_settings(), error))
        except Exception:
            # The last resort must not raise, or API Gateway returns a non-TwiML 502.
            logger.exception("fallback after an unexpected error failed too", path=path)
    if path in paths.CALLER_FACING:
        return twiml_response(twiml.sorry_and_hang_up(), 200)
    return twiml_response(twiml.empty(), 500)


@app.not_found
def unknown_route(error: Exception) -> Response[str]:
    return twiml_response(twiml.hang_up(), 404)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
