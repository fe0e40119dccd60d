"""Billable-lead rules: one pure function that decides whether a lead bills, and why.

The rules are a contract's effective ``lead_rules`` (the agency's rules with the contract's
overrides, as ``leadline config apply`` stores them on the contractor item). Their ``version``
is written on every lead they decide, so each stored decision names the rule set that made it.
``decide`` checks in this order and the first check that matches decides:

1. ``unassigned``: nobody owns the lead (no route, a paused owner, an unknown number).
2. ``blocked_number``: the caller's phone is in ``blocked_numbers``.
3. ``spam``: the lead is marked spam (``lead["spam"] is True``).
4. ``duplicate``: the caller passes ``is_duplicate=True``; ``classify`` defines duplicates.
5. ``outside_territory``: the caller passes ``is_outside_territory=True`` and
   ``bill_outside_territory`` is false.
6. ``renter``: ``ownership`` is ``"renter"`` and ``bill_renters`` is false.
7. Calls only, by ``call_result``:
   - ``"missed"`` with a voicemail from the homeowner bills when ``bill_voicemails`` is true,
     otherwise ``voicemail``;
   - ``"missed"`` without a voicemail bills when ``bill_missed_calls`` is true, otherwise
     ``missed_call``;
   - ``"answered"`` bills when ``connected_seconds >= min_call_seconds``, otherwise
     ``short_call`` (a missing duration counts as 0 seconds).
8. ``billable``: everything else, including every form lead that passed checks 1-6.

Reasons that stop a lead from billing come first, so an unassigned or blocked lead is reported
under that reason even when it was also a short call.
"""

from dataclasses import dataclass
from typing import Any

RULES = (
    "billable",
    "short_call",
    "missed_call",
    "voicemail",
    "duplicate",
    "renter",
    "outside_territory",
    "blocked_number",
    "spam",
    "unassigned",
)

UNASSIGNED_CONTRACTOR = "UNASSIGNED"


class PendingCallError(ValueError):
    """A call is still ringing or its result never arrived, so it cannot be decided yet."""


@dataclass(frozen=True)
class BillingDecision:
    """Whether a lead bills, the rule that decided it (one of ``RULES``) and the rules version."""

    billable: bool
    rule: str
    rules_version: str


def decide(
    lead: dict[str, Any],
    rules: dict[str, Any],
    *,
    is_duplicate: bool,
    is_outside_territory: bool = False,
) -> BillingDecision:
    """Decide whether ``lead`` bills under ``rules``. Raises PendingCallError for pending calls."""
    version = str(rules.get("version", ""))

    def bills() -> BillingDecision:
        return BillingDecision(billable=True, rule="billable", rules_version=version)

    def stops(rule: str) -> BillingDecision:
        return BillingDecision(billable=False, rule=rule, rules_version=version)

    if lead.get("assignment") == "unassigned" or lead.get("contractor_id") == UNASSIGNED_CONTRACTOR:
        return stops("unassigned")
    if lead.get("caller_phone") and lead["caller_phone"] in rules.get("blocked_numbers", []):
        return stops("blocked_number")
    if lead.get("spam") is True:
        return stops("spam")
    if is_duplicate:
        return stops("duplicate")
    if is_outside_territory and not rules.get("bill_outside_territory", False):
        return stops("outside_territory")
    if lead.get("ownership") == "renter" and not rules.get("bill_renters", True):
        return stops("renter")
    if lead.get("channel") != "call":
        return bills()

    call_result = _call_result(lead)
    if call_result == "missed":
        if lead.get("voicemail_left") is True:
            return bills() if rules.get("bill_voicemails", False) else stops("voicemail")
        return bills() if rules.get("bill_missed_calls", False) else stops("missed_call")
    connected_seconds = int(lead.get("connected_seconds") or 0)
    if connected_seconds < int(rules.get("min_call_seconds", 0)):
        return stops("short_call")
    return bills()


def _call_result(lead: dict[str, Any]) -> str:
    """Return ``"answered"`` or ``"missed"``; only a key press makes a call answered.

    A call stored as answered with ``accepted`` false was picked up by something other than the
    contractor pressing 1 (a voicemail box, for example), so it counts as missed.
    """
    call_result = lead.get("call_result")
    if call_result == "answered":
        return "missed" if lead.get("accepted") is False else "answered"
    if call_result == "missed":
        return "missed"
    raise PendingCallError(
        f"call {lead.get('lead_id')!r} has call_result {call_result!r}; "
        "decide it after Twilio reports the dial result"
    )
