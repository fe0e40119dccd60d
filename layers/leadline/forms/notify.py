"""Notifications of a stored form lead: SMS and email to its contractor, or email to the agency.

Each channel ("sms", "email") is sent once per lead. Before sending, a sender takes a lease on
the channel with a conditional update, so two requests for one lead never send it at the same
time. After sending, it records the message id on the lead, and a later retry sends only the
channels that have no id yet.

NOTE: if a sender stops after Twilio or SES accepted a message but before the id is recorded,
the lease runs out and a retry sends that channel again. Neither API takes an idempotency key
that would prevent this.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from leadline import clock, notifications
from leadline.forms import messages
from leadline.forms.settings import twilio_auth_token
from leadline.forms.sites import Agency
from leadline.observability import logger
from leadline.storage import config_tables, lead_notifications
from leadline.storage.leads import UNASSIGNED

SMS = "sms"
EMAIL = "email"
LEASE_SECONDS = 30


class ContractorNotFoundError(LookupError):
    """A lead names a contractor whose item is missing from the contractors table."""


@dataclass
class DeliveryReport:
    """The outcome of one delivery attempt, channel by channel."""

    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    # Leased by another sender that is sending it now, or that stopped before recording it.
    busy: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def pending(self) -> list[str]:
        return self.busy + self.failed


def deliver(lead: dict[str, Any], agency: Agency) -> DeliveryReport:
    """Send every channel of ``lead`` not recorded as sent. A failed send is reported, not raised.

    DynamoDB errors of the lease and record updates propagate.
    """
    report = DeliveryReport()
    recorded = lead.get("notifications") or {}
    for channel, send in _senders(lead, agency).items():
        if channel in recorded:
            report.already_sent.append(channel)
            continue
        outcome = _deliver_channel(lead["lead_id"], channel, send)
        getattr(report, outcome).append(channel)
    return report


def channels_for(lead: dict[str, Any]) -> list[str]:
    """Return the channels a lead is notified on: the agency gets an email for an unassigned lead."""
    return [EMAIL] if lead["contractor_id"] == UNASSIGNED else [SMS, EMAIL]


def _senders(lead: dict[str, Any], agency: Agency) -> dict[str, Callable[[], str]]:
    """Return a send function per channel; each returns the provider's message id."""
    if lead["contractor_id"] == UNASSIGNED:
        return {EMAIL: lambda: _send_agency_email(lead, agency)}

    contractor: dict[str, Any] = {}

    def load_contractor() -> dict[str, Any]:
        if not contractor:
            record = config_tables.get_contractor(lead["contractor_id"])
            if record is None:
                raise ContractorNotFoundError(
                    f"contractor {lead['contractor_id']!r} not found; apply an agency config that defines it"
                )
            contractor.update(record)
        return contractor

    return {
        SMS: lambda: _send_contractor_sms(lead, load_contractor()),
        EMAIL: lambda: _send_contractor_email(lead, load_contractor(), agency),
    }


def _send_contractor_sms(lead: dict[str, Any], contractor: dict[str, Any]) -> str:
    # The same number as the route's sms_phone: config apply copies it from the contractor.
    to = contractor.get("sms_phone") or contractor["phone"]
    auth_token = None if os.environ.get(notifications.SMS_OUTBOX) else twilio_auth_token()
    return notifications.send_sms(to, messages.contractor_sms(lead), auth_token=auth_token).sid


def _send_contractor_email(lead: dict[str, Any], contractor: dict[str, Any], agency: Agency) -> str:
    content = messages.contractor_email(lead, contractor["time_zone"])
    return notifications.send_email(
        sender=agency.sender_email, to=[contractor["email"]],
        subject=content.subject, html=content.html, text=content.text,
    )


def _send_agency_email(lead: dict[str, Any], agency: Agency) -> str:
    content = messages.agency_email(lead, agency.time_zone)
    return notifications.send_email(
        sender=agency.sender_email, to=[agency.operator_email],
        subject=content.subject, html=content.html, text=content.text,
    )


def _deliver_channel(lead_id: str, channel: str, send: Callable[[], str]) -> str:
    """Send one channel under a lease. Returns the DeliveryReport list it belongs to."""
    now = clock.utc_now()
    until = clock.to_iso(now + timedelta(seconds=LEASE_SECONDS))
    if not lead_notifications.acquire_lease(lead_id, channel, now=clock.to_iso(now), until=until):
        logger.info("notification leased or sent by another request", lead_id=lead_id, channel=channel)
        return "busy"

    try:
        message_id = send()
    # Any failure of Twilio, SES or the contractor lookup must leave the lead stored and the
    # channel retryable, so every exception is caught here, logged by type and retried later.
    except Exception as error:
        logger.error(
            "notification failed", lead_id=lead_id, channel=channel,
            error_type=type(error).__name__, error_code=_error_code(error),
        )
        lead_notifications.release_lease(lead_id, channel, until=until)
        return "failed"

    if not lead_notifications.record_sent(lead_id, channel, message_id):
        logger.warning(
            "notification sent twice: another request recorded it first", lead_id=lead_id, channel=channel
        )
    logger.info("notification sent", lead_id=lead_id, channel=channel)
    return "sent"


def _error_code(error: Exception) -> str | None:
    """Return a provider's error code (SES ``MessageRejected``, Twilio ``21211``); it has no personal data."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code")) or None
    code = getattr(error, "code", None)
    return str(code) if code is not None else None
