"""Caller IDs: withheld and blank values give no phone and no homeowner key."""

import hashlib

import pytest

from leadline.calls.caller_id import caller_phone, homeowner_key


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "  ",
        "anonymous",
        "Anonymous",
        "Restricted",
        "UNKNOWN",
        "+266696687",
        "+7378742833",
        "client:alice",
    ],
)
def test_withheld_caller_ids_have_no_phone(raw: str) -> None:
    assert caller_phone(raw) is None


def test_e164_caller_id_is_kept() -> None:
    assert caller_phone("+14695550123") == "+14695550123"


def test_national_format_is_normalised() -> None:
    assert caller_phone("(469) 555-0123") == "+14695550123"


def test_homeowner_key_hashes_trade_and_phone() -> None:
    expected = hashlib.sha256(b"roofing#+14695550123").hexdigest()

    assert homeowner_key("roofing", "+14695550123") == expected


@pytest.mark.parametrize(("trade", "phone"), [("roofing", None), ("roofing", ""), (None, "+14695550123")])
def test_no_homeowner_key_from_an_empty_value(trade: str | None, phone: str | None) -> None:
    assert homeowner_key(trade, phone) is None
