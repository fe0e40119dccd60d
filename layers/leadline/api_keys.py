"""Per-contractor API keys for the outcome API: issue, authenticate, revoke.

A key is ``ll_`` followed by 43 URL-safe characters (32 random bytes from ``secrets``). Only
its SHA-256 is stored, so a leaked table does not leak keys. A fast hash is enough, because a
key with 256 random bits cannot be found from its hash by guessing.
"""

import hashlib
import hmac
import re
import secrets

from leadline import clock
from leadline.errors import AuthenticationError
from leadline.storage import api_keys as key_store
from leadline.storage import config_tables

KEY_PREFIX = "ll_"
_KEY_FORMAT = re.compile(r"^ll_[A-Za-z0-9_-]{43}$")
_INVALID_KEY = "API key invalid; ask the agency for a new key (leadline contractors issue-key)"


def hash_key(key: str) -> str:
    """Return the SHA-256 hex digest of a key, as stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_key(contractor_id: str, *, replace: bool = False) -> str:
    """Create a key for a contractor and store its hash. Returns the key, which is not stored.

    With ``replace``, the contractor's other keys are deleted after the new one is stored.
    Raises ValueError when the contractor does not exist or was removed from the config.
    """
    contractor = config_tables.get_contractor(contractor_id)
    if contractor is None:
        raise ValueError(f"contractor {contractor_id!r} not found; apply a config that defines it first")
    if contractor.get("status") == "removed":
        raise ValueError(f"contractor {contractor_id!r} was removed from the config; it cannot get a key")

    key = KEY_PREFIX + secrets.token_urlsafe(32)
    new_hash = hash_key(key)
    key_store.put_key_hash(new_hash, contractor_id, clock.utc_now_iso())
    if replace:
        for old_hash in key_store.key_hashes_for_contractor(contractor_id):
            if old_hash != new_hash:
                key_store.delete_key_hash(old_hash)
    return key


def revoke_keys(contractor_id: str) -> int:
    """Delete every key of a contractor. Returns how many were deleted."""
    hashes = key_store.key_hashes_for_contractor(contractor_id)
    for key_hash in hashes:
        key_store.delete_key_hash(key_hash)
    return len(hashes)


def authenticate(key: str | None) -> str:
    """Return the contractor id that owns ``key``.

    Raises AuthenticationError when the key is missing, malformed or unknown, or when its
    contractor was removed from the config.
    """
    if not key:
        raise AuthenticationError("API key missing; send it as Authorization: Bearer <key>")
    if not _KEY_FORMAT.match(key):
        raise AuthenticationError(_INVALID_KEY)
    presented_hash = hash_key(key)
    stored = key_store.get_key_hash(presented_hash)
    if stored is None or not hmac.compare_digest(str(stored.get("key_sha256", "")), presented_hash):
        raise AuthenticationError(_INVALID_KEY)

    contractor_id = str(stored["contractor_id"])
    contractor = config_tables.get_contractor(contractor_id)
    if contractor is None or contractor.get("status") == "removed":
        raise AuthenticationError("API key invalid; its contractor no longer exists")
    return contractor_id
