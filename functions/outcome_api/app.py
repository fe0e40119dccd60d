"""POST /leads/{id}/outcome: a contractor reports what came of one of its own leads.

Authentication is a per-contractor API key in ``Authorization: Bearer <key>`` or ``X-Api-Key``.
Responses:

- 201 with the new outcome, or 200 when it equals the current one and nothing was written;
- 400 for invalid JSON or fields, with one error per field, and 413 for a body over 16 KiB;
- 401 for a missing or invalid key;
- 404 for a lead that does not exist or belongs to another contractor;
- 409 when concurrent writes kept changing the outcome.
"""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from leadline.economics.outcomes import FieldProblem, OutcomeValidationError, outcome_as_json, report_outcome
from leadline.errors import AuthenticationError, LeadNotFoundError
from leadline.observability import logger, metrics
from leadline.storage.outcomes import OutcomeConflictError

MAX_BODY_BYTES = 16 * 1024

app = APIGatewayRestResolver()


class PayloadTooLargeError(Exception):
    """The request body is over MAX_BODY_BYTES."""


@app.post("/leads/<lead_id>/outcome")
def post_outcome(lead_id: str) -> Response[dict[str, Any]]:
    logger.append_keys(lead_id=lead_id)
    snapshot, created = report_outcome(_presented_key(), lead_id, _body_text())
    metrics.add_metric(name="OutcomeRecorded", unit=MetricUnit.Count, value=int(created))
    logger.info("outcome received", recorded=created)
    body = {"lead_id": lead_id, "recorded": created, "outcome": outcome_as_json(snapshot)}
    return Response(201 if created else 200, content_types.APPLICATION_JSON, body)


def _presented_key() -> str | None:
    headers = app.current_event.headers
    authorization = (headers.get("Authorization") or "").strip()
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return (headers.get("X-Api-Key") or "").strip() or None


def _body_text() -> str:
    try:
        body = app.current_event.decoded_body or ""
    except UnicodeDecodeError:
        raise OutcomeValidationError([FieldProblem("body", "not UTF-8 text; send UTF-8 JSON")]) from None
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        message = f"body is larger than {MAX_BODY_BYTES} bytes; send one outcome per request"
        raise PayloadTooLargeError(message)
    return body


def _error(status: int, message: str, **extra: Any) -> Response[dict[str, Any]]:
    metrics.add_metric(name="OutcomeRejected", unit=MetricUnit.Count, value=1)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(status, content_types.APPLICATION_JSON, {"message": message, **extra}, headers)


@app.exception_handler(AuthenticationError)
def _unauthorized(error: AuthenticationError) -> Response[dict[str, Any]]:
    logger.warning("outcome rejected", status=401, reason=str(error))
    return _error(401, str(error))


@app.exception_handler(LeadNotFoundError)
def _not_found(error: LeadNotFoundError) -> Response[dict[str, Any]]:
    logger.warning("outcome rejected", status=404, reason="lead not found or not this contractor's")
    return _error(404, str(error))


@app.exception_handler(OutcomeValidationError)
def _invalid(error: OutcomeValidationError) -> Response[dict[str, Any]]:
    fields = [problem.field for problem in error.problems]
    logger.warning("outcome rejected", status=400, fields=fields)
    errors = [{"field": problem.field, "message": problem.message} for problem in error.problems]
    return _error(400, f"invalid outcome: {error}", errors=errors)


@app.exception_handler(PayloadTooLargeError)
def _too_large(error: PayloadTooLargeError) -> Response[dict[str, Any]]:
    logger.warning("outcome rejected", status=413, reason=str(error))
    return _error(413, str(error))


@app.exception_handler(OutcomeConflictError)
def _conflict(error: OutcomeConflictError) -> Response[dict[str, Any]]:
    logger.warning("outcome rejected", status=409, reason=str(error))
    return _error(409, str(error))


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
