"""The one place where httpx exceptions and HTTP answers become pictory-mcp errors,
and where every text that may reach a message is scrubbed of the API key.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from pictory_mcp._logging import REDACTED, redact_keys
from pictory_mcp.errors import (
    MalformedResponseError,
    PictoryError,
    TransportError,
    error_for_status,
)

from ._retry import parse_retry_after

# How much of a non-JSON body to quote in a message.
_SNIPPET = 200

# Exceptions raised before a single byte of the request could have left this process.
# (A pool timeout means no connection was ever handed to us.)
_NOT_SENT: tuple[type[httpx.HTTPError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)


class Scrubber:
    """Removes one API key (and any `pictai_…` token) from text and parsed JSON."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def text(self, value: str) -> str:
        if self._secret:
            value = value.replace(self._secret, REDACTED)
        return redact_keys(value)

    def data(self, value: Any) -> Any:
        """A deep copy of parsed JSON with every string scrubbed (keys included)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.data(item) for item in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        return value


def describe(request: httpx.Request) -> str:
    """`METHOD /path` for messages: no query string, no host credentials, no headers."""
    return f"{request.method} {request.url.path}"


def transport_error(
    exc: httpx.HTTPError, request: httpx.Request, scrub: Scrubber
) -> TransportError:
    """Translate an httpx exception; `request_sent` is False only for certain non-delivery."""
    sent = not isinstance(exc, _NOT_SENT)
    kind = type(exc).__name__
    detail = scrub.text(str(exc)).strip()
    what = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    message = f"{describe(request)} {what} ({kind}{': ' + detail if detail else ''})"
    if sent:
        message += "; Pictory may have received the request"
    else:
        message += "; the request did not reach Pictory"
    return TransportError(message, request_sent=sent)


def parse_body(response: httpx.Response) -> tuple[bool, Any]:
    """(True, parsed JSON) or (False, the raw text) — never raises."""
    raw = response.content
    if not raw.strip():
        return True, None
    try:
        return True, json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return False, response.text


def error_from_response(response: httpx.Response, scrub: Scrubber) -> PictoryError:
    """The exception for an HTTP error status (any status >= 400)."""
    ok, body = parse_body(response)
    if not ok:
        # An HTML error page from a proxy or CDN: keep a short, scrubbed excerpt.
        body = {"message": f"HTTP {response.status_code}: {scrub.text(str(body))[:_SNIPPET]}"}
    else:
        body = scrub.data(body)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    return error_for_status(response.status_code, body, retry_after=retry_after)


def json_from_response(response: httpx.Response, scrub: Scrubber) -> Any:
    """The parsed JSON of a successful answer; MalformedResponseError if it is not JSON."""
    ok, body = parse_body(response)
    if not ok:
        excerpt = scrub.text(str(body))[:_SNIPPET]
        raise MalformedResponseError(
            f"{describe(response.request)} answered HTTP {response.status_code} with a body "
            f"that is not JSON: {excerpt!r}",
            status_code=response.status_code,
        )
    return body
