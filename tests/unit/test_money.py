"""Money display and parsing: cents only at display, exact parsing of reported amounts."""

from decimal import Decimal

import pytest

from leadline.economics.money import allocate_cents, cents, format_usd, parse_amount


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234.5"), "$1,234.50"),
        (Decimal(0), "$0.00"),
        (Decimal("0.005"), "$0.01"),
        (Decimal("-12.345"), "-$12.35"),
        (Decimal("-0.004"), "$0.00"),
        (Decimal("1234567.891"), "$1,234,567.89"),
        (Decimal(1800) / 31 * 31, "$1,800.00"),
    ],
)
def test_format_usd(amount: Decimal, expected: str) -> None:
    assert format_usd(amount) == expected


def test_cents_rounds_half_up() -> None:
    assert cents(Decimal("2.675")) == Decimal("2.68")


def test_cents_rounds_negative_half_away_from_zero() -> None:
    assert cents(Decimal("-2.675")) == Decimal("-2.68")


def test_allocate_cents_splits_a_dollar_in_three() -> None:
    assert allocate_cents([Decimal(1) / 3] * 3) == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]


def test_allocate_cents_gives_extra_cent_to_largest_remainder() -> None:
    displayed = allocate_cents([Decimal("1.004"), Decimal("1.008"), Decimal("1.001")])
    assert displayed == [Decimal("1.00"), Decimal("1.01"), Decimal("1.00")]


def test_allocate_cents_of_nothing() -> None:
    assert allocate_cents([]) == []


def test_allocate_cents_rejects_negative() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        allocate_cents([Decimal("-1")])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.56", Decimal("1234.56")),
        ("$1,234.56", Decimal("1234.56")),
        (" 980 ", Decimal("980")),
        (12500, Decimal("12500")),
        (Decimal("45.10"), Decimal("45.10")),
        ("0.50", Decimal("0.50")),
        ("45.100", Decimal("45.1")),
    ],
)
def test_parse_amount_reads_exactly(raw: object, expected: Decimal) -> None:
    assert parse_amount(raw) == expected


def test_parse_amount_negative_when_allowed() -> None:
    assert parse_amount("-$250.00", allow_negative=True) == Decimal("-250.00")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (12.5, "must be exact"),
        (True, "must be exact"),
        ("12.345", "fractions of a cent"),
        ("abc", "not a number"),
        ("", "not a number"),
        ("1e3", "not a number"),
        ("NaN", "not a number"),
        ("1,23.00", "not a number"),
        ("1234567890123", "not a number"),
        ("-5", "negative"),
        ("$-5", "not a number"),
    ],
)
def test_parse_amount_rejects(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(raw)
