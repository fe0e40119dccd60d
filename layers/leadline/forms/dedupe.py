"""Duplicate form submits: the same homeowner and trade inside the agency's duplicate window.

The key is built from validated, normalised fields (the trade and the E.164 phone), so
"(214) 555-0123" and "+12145550123" are the same homeowner whatever else the body contains.

Duplicates are found with a conditional put on FormDedupeTable rather than with Powertools
idempotency, for three reasons:
- the window (``lead_rules.duplicate_window_days``) is agency config read at request time, while
  Powertools fixes ``expires_after_seconds`` when its config object is built;
- Powertools deletes its record when the wrapped call raises, so a failed notification would let
  the next submit create a second lead, whereas the claim here keeps naming the first lead;
- the response depends on the request's content type (201 JSON or 303 redirect), so the lead id
  is what must be kept, not a cached response.
"""

import hashlib
from datetime import datetime, timedelta

from leadline.storage import form_dedupe
from leadline.storage.form_dedupe import DedupeClaim


def homeowner_key(trade: str, caller_phone: str) -> str:
    """Return the lead's ``homeowner_key``: sha256 hex of "<trade>#<E.164 phone>"."""
    if not trade or not caller_phone:
        raise ValueError("a homeowner key needs both a trade and a phone number")
    return hashlib.sha256(f"{trade}#{caller_phone}".encode()).hexdigest()


def claim_first_lead(
    table: str, key: str, lead_id: str, *, window_days: int, now: datetime, received_at: str
) -> DedupeClaim:
    """Return the lead that owns ``key``: ``lead_id`` if none does inside the window, else the first.

    A window of 0 days turns duplicate detection off, so every submit is a new lead.
    """
    if window_days <= 0:
        return DedupeClaim(lead_id=lead_id, is_new=True)
    now_epoch = int(now.timestamp())
    expires_at = int((now + timedelta(days=window_days)).timestamp())
    return form_dedupe.claim(
        table, key, lead_id, now_epoch=now_epoch, expires_at=expires_at, first_seen_at=received_at
    )
