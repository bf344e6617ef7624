"""`JobRecord`, one row of the job history, and the scrubbing applied before anything is stored."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pictory_mcp._logging import redact_keys

__all__ = [
    "EXTERNAL_KIND",
    "FINISHED_STATUSES",
    "UNFINISHED_STATUSES",
    "DuplicateSubmission",
    "JobRecord",
    "OverDailyCap",
    "SpendClaim",
    "is_secret_key",
    "scrub",
    "status_rank",
]

EXTERNAL_KIND = "external"
"""Kind given to a job first seen through a status update rather than a submission."""

UNFINISHED_STATUSES: tuple[str, ...] = ("submitted", "in-progress")
FINISHED_STATUSES: tuple[str, ...] = ("completed", "failed", "cleaned")

# A status may only move forward: a slow poller must not turn "completed" back into
# "in-progress". `cleaned` (assets deleted) comes after both terminal outcomes.
# `submitting` (a job-creating request claimed, its outcome not yet known) ranks with
# `submitted`: the request is not yet known to run, and recording it as accepted is allowed.
_RANKS = {
    "submitting": 0,
    "submitted": 0,
    "in-progress": 1,
    "completed": 2,
    "failed": 2,
    "cleaned": 3,
}


def status_rank(status: str) -> int:
    """Position of `status` in a job's life; unknown statuses rank with in-progress."""
    return _RANKS.get(status, 1)


# Key fragments that mark a value as a credential, compared without case, "-", "_" or spaces.
_SECRET_KEY_PARTS = (
    "authorization",
    "apikey",
    "token",
    "secret",
    "password",
    "passwd",
    "credential",
    "cookie",
)


def is_secret_key(key: object) -> bool:
    """True for keys such as `Authorization`, `api_key`, `X-Api-Key`, `accessToken`."""
    normalized = re.sub(r"[\s_\-.]", "", str(key)).lower()
    return any(part in normalized for part in _SECRET_KEY_PARTS)


def scrub(value: Any) -> Any:
    """A copy of `value` without secret-named keys (at any depth) and with pictai_ tokens masked."""
    if isinstance(value, Mapping):
        return {str(k): scrub(v) for k, v in value.items() if not is_secret_key(k)}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return redact_keys(value)
    return value


@dataclass(frozen=True)
class JobRecord:
    """What the local history knows about one Pictory job.

    Timestamps are ISO-8601 UTC text; `status` uses Pictory's words plus `submitting`
    (a job-creating request claimed, outcome not yet known) and `submitted` (accepted by
    Pictory, not yet seen running). `steps` chains multi-step workflows.

    `lease_owner` and `lease_until` (wall-clock epoch seconds) say which engine owns the
    job's next step across processes; they are bookkeeping, never shown to agents.
    `spend_minutes` is set on jobs that spend video minutes (renders, workflows): the estimate
    made before submitting, replaced by the video's duration once Pictory reports it.
    """

    job_id: str
    kind: str
    created_at: str
    updated_at: str
    status: str
    progress: float | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    parent_id: str | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    video_name: str | None = None
    local_path: str | None = None
    lease_owner: str | None = None
    lease_until: float | None = None
    spend_minutes: float | None = None

    def lease_held(self, now: float) -> bool:
        """True while some owner holds an unexpired lease at wall-clock time `now`."""
        return (
            self.lease_owner is not None and self.lease_until is not None and now < self.lease_until
        )

    @property
    def finished(self) -> bool:
        """True once the job completed, failed or was cleaned."""
        return self.status in FINISHED_STATUSES

    def to_dict(self, include_payload: bool = False) -> dict[str, Any]:
        """A JSON-ready copy; the (possibly large) payload only when asked for."""
        out: dict[str, Any] = {
            "job_id": self.job_id,
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "video_name": self.video_name,
            "parent_id": self.parent_id,
            "summary": copy.deepcopy(self.summary),
            "result": copy.deepcopy(self.result),
            "error": copy.deepcopy(self.error),
            "steps": copy.deepcopy(self.steps),
            "local_path": self.local_path,
        }
        if include_payload:
            out["payload"] = copy.deepcopy(self.payload)
        return out


class DuplicateSubmission(Exception):
    """The same request (by its deduplication key) was submitted within the window: nothing
    was written, and `record` is the first request's placeholder or job."""

    def __init__(self, record: JobRecord) -> None:
        super().__init__(
            f"The same request was already submitted at {record.created_at}; its job is "
            f"{record.job_id}."
        )
        self.record = record


@dataclass(frozen=True)
class SpendClaim:
    """The video minutes a new job is expected to spend, claimed with its record.

    `minutes` is the estimate (0 when it cannot be known before rendering). With `cap`, the
    record is written only if the owner's minutes counted since `since` (ISO-8601 UTC, the
    start of the day) plus `minutes` stay within `cap`; an unknown length (`known` False) only
    needs the count to be under the cap.
    """

    minutes: float
    known: bool = True
    cap: float | None = None
    since: str = ""


class OverDailyCap(Exception):
    """A claim that would take the owner's count past the daily cap: nothing was written.
    `spent` is what was already counted since the start of the day."""

    def __init__(self, spent: float, cap: float) -> None:
        super().__init__(f"{spent:g} of the daily cap of {cap:g} minutes are already spent.")
        self.spent, self.cap = spent, cap
