"""The agency config file's schema, as pydantic models.

Field validators reuse ``leadline.values`` so a ZIP, phone or price is checked the same way in
config, forms and calls. Cross-entry rules (unique ids, one owner per trade + ZIP, numbers that
name a known site) live in ``loader`` because they need the whole file.
"""

import re
from datetime import time
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from leadline.config.yaml_source import UnquotedInt
from leadline.values import parse_money, parse_phone, parse_trade, parse_zip

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def _zip(value: object) -> str:
    if isinstance(value, UnquotedInt):
        if value.text.startswith("0"):
            raise ValueError(
                f"ZIP {value.text} is not quoted, so YAML reads it as the octal number {int(value)};"
                f" write it as \"{value.text}\""
            )
        raise ValueError(f"ZIP {value.text} is not quoted; write it as \"{value.text}\" (ZIPs are strings)")
    return parse_zip(value)


def _phone(value: object) -> str:
    if isinstance(value, UnquotedInt):
        raise ValueError(f"phone {value.text} is not quoted; write it in E.164 as \"+1...\"")
    return parse_phone(value)


def _money(value: object) -> Decimal:
    if isinstance(value, UnquotedInt):
        value = value.text
    return parse_money(value)


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name such as America/Chicago"
        ) from None
    if value not in available_timezones():
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as America/Chicago")
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            f"id {value!r} is invalid; use 2-63 lowercase letters, digits and dashes"
        )
    return value


def _margin(value: object) -> Decimal:
    if isinstance(value, UnquotedInt):
        value = value.text
    try:
        margin = Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"margin {value!r} is not a number; write a fraction like 0.35") from None
    if not Decimal(0) <= margin <= Decimal(1):
        raise ValueError(f"margin {value!r} must be a fraction from 0 to 1, e.g. 0.35 for 35%")
    return margin


Zip = Annotated[str, BeforeValidator(_zip)]
Phone = Annotated[str, BeforeValidator(_phone)]
Money = Annotated[Decimal, BeforeValidator(_money)]
Margin = Annotated[Decimal, BeforeValidator(_margin)]
Trade = Annotated[str, AfterValidator(parse_trade)]
TimeZone = Annotated[str, AfterValidator(_time_zone)]
Slug = Annotated[str, AfterValidator(_slug)]
Url = Annotated[str, Field(pattern=r"^https?://[^\s/]+(/\S*)?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _expand_day_key(key: str) -> list[str]:
    if key in DAYS:
        return [key]
    first, _, last = key.partition("-")
    if first in DAYS and last in DAYS and DAYS.index(first) <= DAYS.index(last):
        return list(DAYS[DAYS.index(first) : DAYS.index(last) + 1])
    raise ValueError(f"business_hours day {key!r} is invalid; use mon..sun or a range like mon-fri")


def _parse_hours(value: object) -> dict[str, str]:
    """Expand ``{mon-fri: "08:00-17:00", sat: closed}`` to one entry per open day."""
    if not isinstance(value, dict):
        raise ValueError("business_hours must map days to \"HH:MM-HH:MM\" or closed")
    hours: dict[str, str] = {}
    for key, span in value.items():
        for day in _expand_day_key(str(key)):
            if span in ("closed", None, False):
                continue
            match = _HOURS.match(str(span))
            if match is None:
                raise ValueError(
                    f"business_hours {key}: {span!r} is invalid; write \"08:00-17:00\" or closed"
                )
            opens = time(int(match.group(1)), int(match.group(2)))
            closes_hour, closes_minute = int(match.group(3)), int(match.group(4))
            if (closes_hour, closes_minute) != (24, 0):
                closes = time(closes_hour, closes_minute)
                if closes <= opens:
                    raise ValueError(
                        f"business_hours {key}: {span!r} closes before it opens; "
                        "overnight hours are not supported, split them over two days"
                    )
            hours[day] = str(span)
    return hours


BusinessHours = Annotated[dict[str, str], BeforeValidator(_parse_hours)]


class LeadRules(_Strict):
    """Which leads a contractor pays for. ``version`` is stored on every lead it decides."""

    version: str = Field(min_length=1, max_length=40)
    min_call_seconds: int = Field(default=60, ge=0, le=3600)
    bill_missed_calls: bool = False
    bill_voicemails: bool = False
    duplicate_window_days: int = Field(default=30, ge=0, le=365)
    bill_renters: bool = True
    bill_outside_territory: bool = False
    blocked_numbers: list[Phone] = Field(default_factory=list)


class LeadRulesOverride(_Strict):
    """Per-contract changes to the agency's lead rules; unset fields keep the agency value."""

    version: str | None = Field(default=None, min_length=1, max_length=40)
    min_call_seconds: int | None = Field(default=None, ge=0, le=3600)
    bill_missed_calls: bool | None = None
    bill_voicemails: bool | None = None
    duplicate_window_days: int | None = Field(default=None, ge=0, le=365)
    bill_renters: bool | None = None
    bill_outside_territory: bool | None = None
    blocked_numbers: list[Phone] | None = None


class PerLeadPricing(_Strict):
    model: Literal["per_lead"]
    price: Money
    service_type_prices: dict[str, Money] = Field(default_factory=dict)
    monthly_cap: Money | None = None


class FlatMonthlyPricing(_Strict):
    model: Literal["flat_monthly"]
    monthly_fee: Money


Pricing = Annotated[PerLeadPricing | FlatMonthlyPricing, Field(discriminator="model")]


class Territory(_Strict):
    """ZIPs, counties ("Dallas County, TX") and states ("TX"); counties and states are expanded."""

    zips: list[Zip] = Field(default_factory=list)
    counties: list[str] = Field(default_factory=list)
    states: list[str] = Field(default_factory=list)
    exclude_zips: list[Zip] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> "Territory":
        if not (self.zips or self.counties or self.states):
            raise ValueError("territory is empty; list zips, counties or states")
        return self


class Contract(_Strict):
    id: Slug
    trade: Trade
    territory: Territory
    pricing: Pricing
    lead_rules: LeadRulesOverride = Field(default_factory=LeadRulesOverride)


class Contractor(_Strict):
    id: Slug
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Phone
    sms_phone: Phone | None = None
    time_zone: TimeZone
    business_hours: BusinessHours
    after_hours: Literal["forward", "voicemail"] = "voicemail"
    ring_timeout_seconds: int = Field(default=20, ge=5, le=120)
    paused: bool = False
    text_back: bool = False
    default_margins: dict[str, Margin] = Field(default_factory=dict)
    contracts: list[Contract] = Field(min_length=1)


class Site(_Strict):
    name: str = Field(min_length=1, max_length=120)
    trade: Trade
    url: Url
    thank_you_url: Url
    origins: list[Url] = Field(default_factory=list)


class TrackingNumber(_Strict):
    number: Phone
    trade: Trade
    site: str
    zip: Zip | None = None
    ask_zip: bool = False
    default_zip: Zip | None = None
    record_calls: bool = False
    recording_disclosure: bool = True

    @model_validator(mode="after")
    def _one_zip_source(self) -> "TrackingNumber":
        if self.ask_zip and self.zip:
            raise ValueError("set either zip (a fixed territory) or ask_zip: true, not both")
        if not self.ask_zip and not self.zip:
            raise ValueError("set zip for a fixed territory, or ask_zip: true with a default_zip")
        if self.ask_zip and not self.default_zip:
            raise ValueError("ask_zip needs default_zip, used when the caller enters no ZIP")
        return self


class ReportSettings(_Strict):
    answered_within_rings: int = Field(default=3, ge=1, le=20)
    ring_seconds: int = Field(default=6, ge=1, le=30)


class Agency(_Strict):
    name: str = Field(min_length=1, max_length=120)
    operator_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    sender_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    fallback_number: Phone
    time_zone: TimeZone
    lead_rules: LeadRules
    report: ReportSettings = Field(default_factory=ReportSettings)


class AgencyConfig(_Strict):
    agency: Agency
    sites: list[Site] = Field(default_factory=list)
    contractors: list[Contractor] = Field(default_factory=list)
    tracking_numbers: list[TrackingNumber] = Field(default_factory=list)
