"""Domain exceptions. Handlers map them to HTTP answers or TwiML in one place each."""


class LeadlineError(Exception):
    """Base class for errors that Leadline raises on purpose."""


class ConfigError(LeadlineError):
    """An agency config file is invalid. ``problems`` lists one message per bad entry."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s)\n" + "\n".join(problems))


class ExclusivityError(LeadlineError):
    """A trade + ZIP slot is already owned by another contractor."""

    def __init__(self, trade: str, zip_code: str, owner_id: str, requested_by: str) -> None:
        self.trade = trade
        self.zip_code = zip_code
        self.owner_id = owner_id
        self.requested_by = requested_by
        super().__init__(
            f"{trade} in ZIP {zip_code} is owned by contractor {owner_id!r}, "
            f"so it cannot be assigned to {requested_by!r}; "
            "transfer it explicitly (leadline routes transfer) if the sale changed hands"
        )


class TransferError(LeadlineError):
    """A route transfer named an owner that does not own the slot."""


class LeadNotFoundError(LeadlineError):
    """A lead does not exist, or belongs to another contractor than the caller.

    Both cases raise this one error, so the outcome API responds 404 to either and a contractor
    cannot learn which lead ids exist by probing.
    """

    def __init__(self, lead_id: str) -> None:
        self.lead_id = lead_id
        super().__init__(f"lead {lead_id!r} not found; check the lead id in the lead's SMS or email")


class AuthenticationError(LeadlineError):
    """An API key is missing, malformed or unknown, or its contractor was removed."""
