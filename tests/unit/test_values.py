from decimal import Decimal

import pytest

from leadline.values import parse_money, parse_phone, parse_trade, parse_zip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("02134", "02134"), (" 75201 ", "75201"), ("00501", "00501")],
)
def test_parse_zip_keeps_leading_zeros(raw: str, expected: str) -> None:
    assert parse_zip(raw) == expected


def test_parse_zip_cuts_plus4_when_allowed() -> None:
    assert parse_zip("02134-1234", allow_plus4=True) == "02134"


def test_parse_zip_rejects_plus4_by_default() -> None:
    with pytest.raises(ValueError, match="exactly 5 digits"):
        parse_zip("02134-1234")


def test_parse_zip_rejects_number_with_quote_hint() -> None:
    with pytest.raises(ValueError, match="quote it"):
        parse_zip(2134)


@pytest.mark.parametrize("raw", ["2134", "021345", "0213a", ""])
def test_parse_zip_rejects_malformed(raw: str) -> None:
    with pytest.raises(ValueError, match="invalid"):
        parse_zip(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(214) 555-0101", "+12145550101"),
        ("214.555.0101", "+12145550101"),
        ("1-214-555-0101", "+12145550101"),
        ("+1 214 555 0101", "+12145550101"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_parse_phone_normalises_to_e164(raw: str, expected: str) -> None:
    assert parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["555-0101", "+1 114 555 0101", "(214) 055-0101", "+0123", "call me"])
def test_parse_phone_rejects_invalid(raw: str) -> None:
    with pytest.raises(ValueError, match="phone"):
        parse_phone(raw)


def test_parse_money_reads_text_exactly() -> None:
    assert parse_money("45.10") == Decimal("45.10")
    assert str(parse_money("45.10")) == "45.10"


@pytest.mark.parametrize(
    ("raw", "message"),
    [("-5", "negative"), ("1.005", "fractions of a cent"), ("abc", "not a number"), (45.1, "quote it")],
)
def test_parse_money_rejects_bad_amounts(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_money(raw)


def test_parse_trade_lists_known_trades() -> None:
    assert parse_trade(" HVAC ") == "hvac"
    with pytest.raises(ValueError, match="roofing, hvac, plumbing, electrical"):
        parse_trade("landscaping")
