"""POST /leads: a homeowner's site form. OPTIONS /leads: the CORS preflight for it."""

import traceback
import warnings
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from leadline import __version__
from leadline.forms import http
from leadline.forms.errors import FormRequestError, NotificationsPendingError
from leadline.forms.settings import FormSettings
from leadline.forms.submit import submit_form
from leadline.observability import logger, metrics

# enable_validation lets Powertools generate the OpenAPI document (docs/openapi/form_submit.json).
app = APIGatewayRestResolver(enable_validation=True)

# A CORS preflight records no metric, which is expected, so Powertools' warning about it is noise.
warnings.filterwarnings("ignore", message="No application metrics to publish")


@app.post(
    "/leads",
    summary="Submit a form lead",
    description=(
        "Stores a homeowner's form lead and sends it by SMS and email to the contractor who owns the "
        "trade and ZIP, or by email to the agency when nobody does. Browsers may post from the origins "
        "listed for the sites in the agency config (CORS, with an OPTIONS preflight)."
    ),
    responses=http.SUBMIT_RESPONSES,
    openapi_extensions={"requestBody": http.REQUEST_BODY},
    tags=["Form leads"],
)
def submit_lead() -> Response[str]:
    request = http.form_request(app.current_event)
    result = submit_form(request, FormSettings.from_env())
    return http.accepted_response(result, request.origin)


@app.route(
    "/leads",
    method="OPTIONS",
    summary="CORS preflight for form leads",
    include_in_schema=False,
)
def preflight_lead() -> Response[str]:
    return http.preflight_response(app.current_event.headers.get("origin"))


@app.exception_handler(FormRequestError)
def reject_request(error: FormRequestError) -> Response[str]:
    logger.info("form request rejected", error_type=type(error).__name__)
    metrics.add_metric(name="FormRejected", unit=MetricUnit.Count, value=1)
    return http.error_response(error, app.current_event.headers.get("origin"))


@app.exception_handler(NotificationsPendingError)
def report_pending(error: NotificationsPendingError) -> Response[str]:
    return http.pending_response(app.current_event.headers.get("origin"))


@app.not_found
def report_not_found(error: NotFoundError) -> Response[str]:
    return http.not_found_response(app.current_event.headers.get("origin"))


@app.exception_handler(Exception)
def report_internal_error(error: Exception) -> Response[str]:
    # Only the type and the place are logged, because exception text may quote form values.
    logger.error("form request failed", error_type=type(error).__name__, raised_at=_our_frame(error))
    return http.internal_error_response(app.current_event.headers.get("origin"))


def _our_frame(error: Exception) -> str:
    """Return "file:line" of the innermost frame in Leadline's code (else the innermost frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "site-packages" not in frame.filename]
    candidates = ours or frames
    if not candidates:
        return "unknown"
    return f"{candidates[-1].filename}:{candidates[-1].lineno}"


def openapi_document() -> str:
    """Return the OpenAPI document of these routes, as checked in at docs/openapi/form_submit.json."""
    return app.get_openapi_json_schema(title="Leadline form leads", version=__version__)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
