"""Outgoing SMS (Twilio) and email (SES).

SMS go through Twilio's REST API, or, when ``LEADLINE_SMS_OUTBOX`` names a file (the local
stack sets it), are appended to that file as JSON lines instead. Twilio's client is imported
only when an SMS is really sent, because it is slow to import and the voice path rarely needs it.
"""

import json
import os
import threading
from dataclasses import dataclass
from typing import Any

from leadline.clock import utc_now_iso

SMS_OUTBOX = "LEADLINE_SMS_OUTBOX"
TWILIO_ACCOUNT_SID = "TWILIO_ACCOUNT_SID"
TWILIO_MESSAGING_FROM = "TWILIO_MESSAGING_FROM"

_outbox_lock = threading.Lock()
_ses_client: Any = None


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    sid: str


def send_sms(to: str, body: str, *, from_number: str | None = None, auth_token: str | None = None) -> SentSms:
    """Send one SMS. Raises on failure; callers decide whether to retry."""
    outbox = os.environ.get(SMS_OUTBOX)
    if outbox:
        return _write_outbox(outbox, to, body, from_number)

    from twilio.rest import Client

    account_sid = os.environ.get(TWILIO_ACCOUNT_SID)
    sender = from_number or os.environ.get(TWILIO_MESSAGING_FROM)
    if not account_sid or not sender or not auth_token:
        raise RuntimeError(
            f"cannot send SMS: set {TWILIO_ACCOUNT_SID}, {TWILIO_MESSAGING_FROM} and the Twilio auth token"
        )
    message = Client(account_sid, auth_token).messages.create(to=to, from_=sender, body=body)
    return SentSms(to=to, body=body, sid=str(message.sid))


def _write_outbox(path: str, to: str, body: str, from_number: str | None) -> SentSms:
    with _outbox_lock, open(path, "a+", encoding="utf-8") as handle:
        handle.seek(0)
        count = sum(1 for _ in handle)
        sid = f"SMlocal{count + 1:06d}"
        record = {"sid": sid, "to": to, "from": from_number, "body": body, "sent_at": utc_now_iso()}
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return SentSms(to=to, body=body, sid=sid)


def read_outbox(path: str) -> list[dict[str, Any]]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ses_client() -> Any:
    global _ses_client
    if _ses_client is None:
        import boto3

        _ses_client = boto3.client("sesv2")
    return _ses_client


def set_ses_client(client: Any) -> None:
    global _ses_client
    _ses_client = client


def build_email(*, sender: str, to: list[str], subject: str, html: str, text: str) -> bytes:
    """Return a MIME message with plain-text and HTML alternatives, UTF-8 throughout."""
    from email.message import EmailMessage
    from email.policy import SMTP

    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    # Quoted-printable keeps both parts 7-bit with lines under 1,000 characters, which the SES
    # API v2 reference (RawMessage) requires of lines and recommends for non-ASCII content.
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def send_email(*, sender: str, to: list[str], subject: str, html: str, text: str) -> str:
    """Send a UTF-8 email with HTML and plain-text parts through SES. Returns the message id.

    The message is sent raw (MIME built here) because SES's simple content type carries the
    same parts but the local SES keeps only one of them.
    """
    raw = build_email(sender=sender, to=to, subject=subject, html=html, text=text)
    response = ses_client().send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": to},
        Content={"Raw": {"Data": raw}},
    )
    return str(response["MessageId"])
