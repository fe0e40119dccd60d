"""Export what the local stack sent by email: each SES message as .eml, .html and .txt files."""

import re
from email import message_from_bytes, message_from_string
from email.message import Message
from email.policy import default
from pathlib import Path

from leadline.local.aws import LOCAL_REGION

MOTO_ACCOUNT_ID = "123456789012"


def sent_raw_emails() -> list[str]:
    """Return the raw MIME text of every message the embedded SES accepted, oldest first."""
    from moto.ses.models import ses_backends

    backend = ses_backends[MOTO_ACCOUNT_ID][LOCAL_REGION]
    return [m.raw_data for m in backend.sent_messages if hasattr(m, "raw_data")]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "email"


def export_emails(out_dir: Path) -> list[Path]:
    """Write each sent email to ``out_dir/emails``. Returns the .html paths written."""
    email_dir = out_dir / "emails"
    email_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for index, raw in enumerate(sent_raw_emails(), start=1):
        message = (
            message_from_bytes(raw, policy=default) if isinstance(raw, bytes)
            else message_from_string(raw, policy=default)
        )
        stem = email_dir / f"{index:03d}-{_slug(str(message['Subject']))}"
        raw_text = raw if isinstance(raw, str) else raw.decode("utf-8")
        stem.with_suffix(".eml").write_text(raw_text, encoding="utf-8")
        for part in message.walk():
            if isinstance(part, Message) and part.get_content_type() in ("text/html", "text/plain"):
                suffix = ".html" if part.get_content_type() == "text/html" else ".txt"
                stem.with_suffix(suffix).write_text(part.get_content(), encoding="utf-8")
        written.append(stem.with_suffix(".html"))
    return written
