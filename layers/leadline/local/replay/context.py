"""HTTP helpers for replaying traffic against the local stack, as Twilio and browsers send it."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class SummaryRow:
    flow: str
    case: str
    result: str


@dataclass(frozen=True)
class HttpResult:
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class ReplayContext:
    base_url: str
    public_url: str
    auth_token: str
    out_dir: Path
    notes: dict[str, Any] = field(default_factory=dict)

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> HttpResult:
        # base_url is the local gateway's http://127.0.0.1 address, never a user-supplied scheme.
        request = urllib.request.Request(  # noqa: S310
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return HttpResult(response.status, dict(response.headers), response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, dict(error.headers), error.read().decode("utf-8"))

    def post_twilio(self, path: str, params: list[tuple[str, str]]) -> HttpResult:
        """POST form parameters signed exactly as Twilio signs them, with the twilio library."""
        from twilio.request_validator import RequestValidator

        url = self.public_url + path
        signature = RequestValidator(self.auth_token).compute_signature(url, _params_for_signature(params))
        return self.request(
            "POST", path,
            body=urlencode(params).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "X-Twilio-Signature": signature,
                "User-Agent": "TwilioProxy/1.1",
            },
        )

    def post_form(
        self, path: str, fields: list[tuple[str, str]], headers: dict[str, str] | None = None
    ) -> HttpResult:
        return self.request(
            "POST", path, body=urlencode(fields).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )

    def post_json(self, path: str, payload: Any, headers: dict[str, str] | None = None) -> HttpResult:
        return self.request(
            "POST", path, body=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", **(headers or {})},
        )


def _params_for_signature(params: list[tuple[str, str]]) -> dict[str, Any]:
    """Group repeated keys into lists, which twilio's compute_signature signs value by value."""
    grouped: dict[str, Any] = {}
    for key, value in params:
        if key in grouped:
            existing = grouped[key]
            grouped[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            grouped[key] = value
    return grouped


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
