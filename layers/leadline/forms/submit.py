"""One form submit, in order: decode, validate, drop duplicates, route, store, then notify.

Nothing is stored or sent for a rejected submit or a filled honeypot. Once the lead is stored, a
failed notification never removes it: the channel is retried from a queue.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError

from leadline import clock
from leadline.forms import dedupe, retry, sites
from leadline.forms.body import FormBody, decode_body
from leadline.forms.errors import FieldError, FormValidationError, NotificationsPendingError
from leadline.forms.model import HONEYPOT_FIELD, LeadForm, validate_form
from leadline.forms.notify import channels_for, deliver
from leadline.forms.settings import FormSettings
from leadline.forms.sites import Agency, Directory, Site
from leadline.observability import logger, metrics
from leadline.storage import leads, routes

MAX_USER_AGENT = 512


@dataclass(frozen=True)
class FormRequest:
    """The parts of an HTTP request that a submit uses."""

    content_type: str | None
    body: str | None
    is_base64_encoded: bool
    source_ip: str | None = None
    user_agent: str | None = None
    referer: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class FormAccepted:
    """A submit that gets the success response: a new lead, a duplicate, or a filled honeypot."""

    lead_id: str
    thank_you_url: str
    is_html_form: bool
    outcome: str


def new_lead_id() -> str:
    return "form-" + uuid.uuid4().hex


def submit_form(request: FormRequest, settings: FormSettings) -> FormAccepted:
    """Run one submit. Raises a FormRequestError subclass for a request that is rejected."""
    body = decode_body(request.content_type, request.body, is_base64_encoded=request.is_base64_encoded)
    directory = sites.current()
    site = _find_site(directory, body.fields.get("site"))

    if _honeypot_filled(body.fields):
        if site is None:
            raise FormValidationError([_unknown_site_error(body.fields.get("site"))])
        logger.info("form honeypot filled; nothing stored or sent", site=site.name)
        metrics.add_metric(name="FormSpamDropped", unit=MetricUnit.Count, value=1)
        return FormAccepted(new_lead_id(), site.thank_you_url, body.is_html_form, "spam")

    form, site = _validate(body, request.referer, site)
    received = clock.utc_now()
    lead = _new_lead(form, site, request, clock.to_iso(received))
    claim = dedupe.claim_first_lead(
        settings.dedupe_table, lead["homeowner_key"], lead["lead_id"],
        window_days=directory.agency.duplicate_window_days, now=received, received_at=lead["received_at"],
    )
    if claim.is_new:
        stored = _route_and_store(lead)
        outcome = "stored"
    else:
        # If the first submit stopped before storing its lead, this one is stored under that id.
        stored = leads.get_lead(claim.lead_id, consistent=True) or _route_and_store(
            {**lead, "lead_id": claim.lead_id}
        )
        outcome = "duplicate"
        logger.info("duplicate form submit; responding with the first lead's id", lead_id=claim.lead_id)
        metrics.add_metric(name="FormDuplicate", unit=MetricUnit.Count, value=1)

    _notify(stored, directory.agency, settings)
    return FormAccepted(stored["lead_id"], site.thank_you_url, body.is_html_form, outcome)


def _find_site(directory: Directory, name: object) -> Site | None:
    return directory.sites.get(name.strip()) if isinstance(name, str) else None


def _honeypot_filled(fields: dict[str, object]) -> bool:
    value = fields.get(HONEYPOT_FIELD)
    if value is None:
        return False
    return bool(value.strip()) if isinstance(value, str) else True


def _unknown_site_error(name: object) -> FieldError:
    if not isinstance(name, str) or not name.strip():
        return FieldError("site", "site is required; send the site's name exactly as in the agency config")
    return FieldError(
        "site",
        f"site {name.strip()!r} is not in the agency config; send the site's name exactly as configured",
    )


def _validate(body: FormBody, referer: str | None, site: Site | None) -> tuple[LeadForm, Site]:
    """Return the validated form and its site, or raise FormValidationError listing every problem."""
    fields = dict(body.fields)
    page_url = fields.get("page_url")
    if referer and (page_url is None or (isinstance(page_url, str) and not page_url.strip())):
        fields["page_url"] = referer

    errors: list[FieldError] = []
    form: LeadForm | None = None
    try:
        form = validate_form(fields)
    except FormValidationError as error:
        errors = list(error.errors)

    if site is None and not any(error.field == "site" for error in errors):
        errors.insert(0, _unknown_site_error(fields.get("site")))
    if form is not None and site is not None and form.trade != site.trade:
        errors.append(FieldError(
            "trade", f"trade {form.trade!r} does not match site {site.name!r}, which takes {site.trade} leads"
        ))
    if errors or form is None or site is None:
        logger.info("form submit rejected", fields=sorted({error.field for error in errors}))
        raise FormValidationError(errors)
    return form, site


def _new_lead(form: LeadForm, site: Site, request: FormRequest, received_at: str) -> dict[str, Any]:
    consent = {
        "disclosure_version": form.disclosure_version,
        "consented_at": received_at,
        "page_url": form.page_url,
        "source_ip": request.source_ip,
        "user_agent": request.user_agent[:MAX_USER_AGENT] if request.user_agent else None,
    }
    return {
        "lead_id": new_lead_id(),
        "channel": "form",
        "received_at": received_at,
        "trade": form.trade,
        "zip": form.zip,
        "zip_source": "form",
        "site": site.name,
        "caller_phone": form.phone,
        "homeowner_key": dedupe.homeowner_key(form.trade, form.phone),
        "name": form.name,
        "email": form.email,
        "message": form.message,
        "service_type": form.service_type,
        "ownership": form.ownership,
        "consent": {key: value for key, value in consent.items() if value is not None},
        "notifications": {},
        "notification_leases": {},
    }


def _route_and_store(lead: dict[str, Any]) -> dict[str, Any]:
    """Assign the lead to the owner of its trade and ZIP (or keep it unassigned) and store it."""
    route = routes.get_route(lead["trade"], lead["zip"])
    if route is None or route.get("paused"):
        lead = {
            **lead,
            "contractor_id": leads.UNASSIGNED,
            "assignment": "unassigned",
            "unassigned_reason": "no_route" if route is None else "paused",
        }
    else:
        lead = {
            **lead,
            "contractor_id": route["contractor_id"],
            "contract_id": route["contract_id"],
            "assignment": "assigned",
        }

    if not leads.create_lead(lead):
        # A concurrent duplicate stored the same lead id first; use what it stored.
        existing = leads.get_lead(lead["lead_id"], consistent=True)
        if existing is not None:
            return existing
    logger.info(
        "form lead stored", lead_id=lead["lead_id"], site=lead["site"], trade=lead["trade"],
        assignment=lead["assignment"], contractor_id=lead["contractor_id"],
    )
    metrics.add_metric(name="FormLeadStored", unit=MetricUnit.Count, value=1)
    return lead


def _notify(lead: dict[str, Any], agency: Agency, settings: FormSettings) -> None:
    """Send the lead's notifications, with a retry queued first for whatever is not sent yet.

    The retry is queued before sending, so a lead is still completed when this function is cut
    short (a Lambda timeout while Twilio hangs, say). For a lead sent in full, the retry finds
    nothing to send. Raises NotificationsPendingError when a channel failed and no retry is queued.
    """
    recorded = lead.get("notifications") or {}
    if all(channel in recorded for channel in channels_for(lead)):
        return

    queued = _queue_retry(settings, lead["lead_id"])
    try:
        pending = deliver(lead, agency).pending
    except (BotoCoreError, ClientError) as error:
        # A lease or record update failed (DynamoDB), so no channel is known to be sent.
        logger.error("notification step failed", lead_id=lead["lead_id"], error_type=type(error).__name__)
        pending = channels_for(lead)
    if not pending:
        return

    metrics.add_metric(name="FormNotificationPending", unit=MetricUnit.Count, value=1)
    if not queued:
        raise NotificationsPendingError(lead["lead_id"], pending)
    logger.info("notification left to the retry queue", lead_id=lead["lead_id"], channels=pending)


def _queue_retry(settings: FormSettings, lead_id: str) -> bool:
    try:
        retry.schedule_retry(settings.retry_queue_url, lead_id)
    except (BotoCoreError, ClientError) as error:
        logger.error(
            "notification retry could not be queued", lead_id=lead_id, error_type=type(error).__name__
        )
        return False
    return True
