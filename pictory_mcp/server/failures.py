"""Turn any expected failure into one secret-free sentence that says what to do next."""

from __future__ import annotations

import logging
import math

from pictory_mcp.errors import (
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    DeadlineError,
    InputError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PictoryMCPError,
    RateLimitedError,
    ServerError,
    SpendRefusedError,
    StoreError,
    SubmitOutcomeUnknownError,
    TransportError,
)

logger = logging.getLogger("pictory_mcp.server")


class UnknownJobError(NotFoundError):
    """A job id Pictory does not know (404), worded once for every tool that takes a job_id."""

    def __init__(self, job_id: str, *, in_history: bool = False, wanted: str = "") -> None:
        known = " It is in the local history, so Pictory may have purged it." if in_history else ""
        which = f" (give {wanted})" if wanted else ""
        super().__init__(
            f"No job '{job_id}' exists for this API key (404).{known} Check the id{which}; "
            "pictory://jobs lists recent ones.",
            status_code=404,
            code="JOB_NOT_FOUND",
        )


def describe(exc: PictoryMCPError) -> str:
    """The sentence an agent sees for `exc`. Never includes request headers or the key."""
    if isinstance(
        exc,
        ConfigurationError
        | InputError
        | SubmitOutcomeUnknownError
        | DeadlineError
        | SpendRefusedError
        | UnknownJobError,
    ):
        return str(exc)
    if isinstance(exc, AuthenticationError):
        return (
            "Pictory rejected the API key (401 Unauthorized). Check PICTORY_API_KEY: it must be "
            "the raw key starting with 'pictai_' (no 'Bearer ' prefix) from "
            "https://app.pictory.ai/api-access, then restart the server."
        )
    if isinstance(exc, InvalidRequestError):
        fields = "; ".join(f"{f.name}: {f.errors}" for f in exc.fields[:8])
        detail = f" Fields: {fields}." if fields else ""
        return f"Pictory rejected the request (400 {exc.code or 'invalid'}): {exc}.{detail} Fix those values and call again."
    if isinstance(exc, RateLimitedError):
        wait = math.ceil(exc.retry_after) if exc.retry_after else 30
        return f"Pictory is rate-limiting this API key (429). Wait {wait} s, then call again; poll jobs no faster than every 10-30 s."
    if isinstance(exc, NotFoundError):
        return f"Pictory has no such item for this API key (404): {exc}."
    if isinstance(exc, PermissionDeniedError):
        return "That item belongs to another Pictory account (403); use one listed for this key."
    if isinstance(exc, PayloadTooLargeError):
        return "The request is too large for Pictory (413); shorten the script or use fewer scenes."
    if isinstance(exc, ServerError):
        return f"Pictory had a server error ({exc.status_code}). Try again in a minute; if a job was being created, check pictory://jobs before submitting again."
    if isinstance(exc, TransportError):
        return f"Could not reach Pictory ({exc}). Check the network or PICTORY_API_BASE_URL, then try again."
    if isinstance(exc, MalformedResponseError):
        return "Pictory sent an answer that could not be read. Try again in a minute."
    if isinstance(exc, APIStatusError):
        return f"Pictory answered HTTP {exc.status_code}: {exc}."
    if isinstance(exc, StoreError):
        return f"The local job history failed: {exc}"
    return str(exc)
