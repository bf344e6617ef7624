"""The one error hierarchy of pictory-mcp. Imports nothing from the package.

PictoryMCPError
├── ConfigurationError          the server is missing a setting (e.g. no API key)
├── InputError                  an argument the agent gave is wrong; says how to fix it
├── StoreError                  the local job history could not be read or written
├── DeadlineError               a call reached its time bound; says what is known
├── SpendRefusedError           a call that spends credits was stopped before anything was
│                               sent (no quota, over the daily cap, the user said no)
├── DownloadError               a result file could not be fetched whole, in bounds, from an
│                               allowed host, or saved; `reason` says which
└── PictoryError                anything that came from talking to Pictory
    ├── TransportError          no usable HTTP answer (connect error, timeout, dropped)
    │                           `request_sent` tells whether Pictory may have received it
    ├── MalformedResponseError  an answer that is not the JSON we expect
    ├── SubmitOutcomeUnknownError  a job-creating call whose outcome cannot be known
    └── APIStatusError          an HTTP error status, mapped in `error_for_status`
        ├── InvalidRequestError     400 (with `fields`)
        ├── AuthenticationError     401
        ├── PermissionDeniedError   403
        ├── NotFoundError           404 (unknown job id, connection, template ...)
        ├── PayloadTooLargeError    413
        ├── RateLimitedError        429 (with `retry_after` seconds, if known)
        └── ServerError             5xx

Messages never contain the API key: nothing here ever receives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


class PictoryMCPError(Exception):
    """Base of every error raised on purpose by pictory-mcp."""


class ConfigurationError(PictoryMCPError):
    """A required setting is missing or invalid."""


class InputError(PictoryMCPError):
    """An argument is invalid; the message says what to change."""


class StoreError(PictoryMCPError):
    """The job history database failed."""


class DeadlineError(PictoryMCPError):
    """A call reached its time bound before Pictory answered; the message says what is known."""


class SpendRefusedError(PictoryMCPError):
    """A call that would spend credits submitted nothing; the message gives the numbers or the
    user's answer, and what to do instead."""


DownloadReason = Literal[
    "refused-host",
    "redirects",
    "too-large",
    "timeout",
    "http-status",
    "transport",
    "wrong-type",
    "disk",
]


class DownloadError(PictoryMCPError):
    """A result file could not be downloaded or saved.

    `reason` names the rule or failure; `status_code` is the host's HTTP status when it gave
    one, `retry_after` its Retry-After in seconds. Transport failures, 429 and 5xx answers
    are `retriable`.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: DownloadReason,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.reason: DownloadReason = reason
        self.status_code = status_code
        self.retry_after = retry_after

    @property
    def retriable(self) -> bool:
        if self.reason == "transport":
            return True
        return self.status_code is not None and (self.status_code == 429 or self.status_code >= 500)


class PictoryError(PictoryMCPError):
    """Something went wrong while talking to the Pictory API."""


class TransportError(PictoryError):
    """No usable HTTP answer arrived.

    `request_sent` is False only when the request certainly never reached the
    server (e.g. connection refused), so a job-creating call may be retried.
    """

    def __init__(self, message: str, *, request_sent: bool) -> None:
        super().__init__(message)
        self.request_sent = request_sent


class MalformedResponseError(PictoryError):
    """The answer was not the JSON shape the endpoint documents."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class SubmitOutcomeUnknownError(PictoryError):
    """A job-creating request failed ambiguously and no job could be found for it."""


@dataclass(frozen=True)
class FieldError:
    """One entry of a 400 answer's `fields` list."""

    name: str
    errors: str


class APIStatusError(PictoryError):
    """Pictory answered with an HTTP error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.body = body


class InvalidRequestError(APIStatusError):
    """400: Pictory rejected the request body; `fields` says where."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 400,
        code: str | None = None,
        body: Any = None,
        fields: list[FieldError] | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, code=code, body=body)
        self.fields: list[FieldError] = fields or []


class AuthenticationError(APIStatusError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the resource belongs to another account."""


class NotFoundError(APIStatusError):
    """404: the job, connection or template does not exist for this key."""


class PayloadTooLargeError(APIStatusError):
    """413: the request body is over the size limit."""


class RateLimitedError(APIStatusError):
    """429: too many requests; `retry_after` is in seconds when known."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        code: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, code=code, body=body)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx: Pictory failed."""


def _message_from(body: Any, default: str) -> str:
    """Pictory puts error text under `message`, `error_message` or `error` (and nested)."""
    if isinstance(body, dict):
        for key in ("message", "error_message", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict):
                nested = _message_from(value, "")
                if nested:
                    return nested
        data = body.get("data")
        if isinstance(data, dict):
            nested = _message_from(data, "")
            if nested:
                return nested
    return default


def _code_from(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    for holder in (body, body.get("data"), body.get("error")):
        if isinstance(holder, dict):
            for key in ("code", "error_code"):
                value = holder.get(key)
                if isinstance(value, str | int) and not isinstance(value, bool):
                    return str(value)
    return None


def _fields_from(body: Any) -> list[FieldError]:
    if not isinstance(body, dict) or not isinstance(body.get("fields"), list):
        return []
    out: list[FieldError] = []
    for item in body["fields"]:
        if isinstance(item, dict):
            errors = item.get("errors")
            if isinstance(errors, list):
                errors = "; ".join(str(e) for e in errors)
            out.append(FieldError(name=str(item.get("name", "")), errors=str(errors or "")))
    return out


def error_for_status(
    status_code: int, body: Any, *, retry_after: float | None = None
) -> APIStatusError:
    """Map an HTTP error status and its parsed body to one exception. The only such mapping."""
    message = _message_from(body, f"HTTP {status_code}")
    code = _code_from(body)
    if status_code == 400 or status_code == 422:
        return InvalidRequestError(
            message, status_code=status_code, code=code, body=body, fields=_fields_from(body)
        )
    if status_code == 401:
        return AuthenticationError(message, status_code=status_code, code=code, body=body)
    if status_code == 403:
        return PermissionDeniedError(message, status_code=status_code, code=code, body=body)
    if status_code == 404:
        return NotFoundError(message, status_code=status_code, code=code, body=body)
    if status_code == 413:
        return PayloadTooLargeError(message, status_code=status_code, code=code, body=body)
    if status_code == 429:
        return RateLimitedError(
            message, status_code=status_code, code=code, body=body, retry_after=retry_after
        )
    if status_code >= 500:
        return ServerError(message, status_code=status_code, code=code, body=body)
    return APIStatusError(message, status_code=status_code, code=code, body=body)
