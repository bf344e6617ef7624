"""Fault injection: per-key rate limits, lost or broken answers, and jobs that fail or hang.

Random choices come from one `random.Random(seed)`, drawn only for non-zero rates, so a given
sequence of requests meets the same faults on every run.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Literal

from pictory_mcp.sandbox.job_state import JobOutcome
from pictory_mcp.sandbox.sandbox_config import ERROR_PHASES, SandboxConfig

Phase = Literal["before", "after"]
ERROR_STATUSES = (500, 502, 503)
ERROR_BODIES = {
    500: {"message": "Internal Server Error"},
    502: {"message": "Bad Gateway"},
    503: {"message": "Service Unavailable"},
}
DEFAULT_FAIL_CODE = "TEXT_TO_VIDEO_FAILED"
DEFAULT_FAIL_MESSAGE = "The video could not be generated. Please try again."


@dataclass
class PendingFaults:
    """One-shot faults armed through POST /__sandbox/faults; each counter counts down."""

    fail_next_jobs: int = 0
    error_code: str = DEFAULT_FAIL_CODE
    error_message: str = DEFAULT_FAIL_MESSAGE
    stick_next_jobs: int = 0
    malformed_next: int = 0
    drop_next: int = 0
    error_next: int = 0
    error_status: int = 503
    error_phase: str = "before"
    # The next N storyboard requests are refused with 400 INVALID_REQUEST_BODY naming this
    # field: Pictory enforcing a rule that a client's own validation does not know.
    reject_next: int = 0
    reject_field: str = "scenes[0].story"
    reject_errors: str = "The story contains unsupported characters"

    def to_json(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class RequestFault:
    """What to do to one API request."""

    kind: Literal["drop", "error", "malformed"]
    phase: Phase = "before"
    status: int = 200

    @property
    def name(self) -> str:
        if self.kind == "malformed":
            return "malformed"
        if self.kind == "drop":
            return f"drop_{self.phase}"
        return f"error_{self.status}_{self.phase}"


@dataclass(frozen=True)
class JobFault:
    outcome: JobOutcome
    error_code: str | None = None
    error_message: str | None = None


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class Faults:
    """The fault state of one sandbox; `reset` restores it to start-up."""

    seed: int = 0
    pending: PendingFaults = field(default_factory=PendingFaults)
    rng: random.Random = field(init=False)
    _buckets: dict[str, _Bucket] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - simulation, not crypto

    def reset(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - simulation, not crypto
        self.pending = PendingFaults()
        self._buckets.clear()

    def arm(self, payload: Mapping[str, object]) -> None:
        """Apply a POST /__sandbox/faults body; raise ValueError (changing nothing) if invalid."""
        known = {f.name for f in fields(PendingFaults)}
        unknown = sorted(set(payload) - known)
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(unknown)}")
        updated = PendingFaults(**self.pending.to_json())  # type: ignore[arg-type]
        for name, value in payload.items():
            if name in ("error_code", "error_message", "reject_field", "reject_errors"):
                if not isinstance(value, str) or not value:
                    raise ValueError(f"{name} must be a non-empty string")
            elif name == "error_status":
                if value not in ERROR_STATUSES:
                    raise ValueError("error_status must be 500, 502 or 503")
            elif name == "error_phase":
                if value not in ERROR_PHASES:
                    raise ValueError(f"error_phase must be one of {', '.join(ERROR_PHASES)}")
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0")
            setattr(updated, name, value)
        self.pending = updated

    def check_rate(self, key_fp: str, rate: float | None, now: float) -> float | None:
        """Take a token from the key's bucket; when empty, the seconds until one refills."""
        if rate is None:
            return None
        capacity = max(1.0, rate)
        bucket = self._buckets.get(key_fp)
        if bucket is None:
            bucket = self._buckets[key_fp] = _Bucket(tokens=capacity, stamp=now)
        bucket.tokens = min(capacity, bucket.tokens + max(0.0, now - bucket.stamp) * rate)
        bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / rate

    def _phase(self, configured: str) -> Phase:
        if configured == "mixed":
            return "before" if self.rng.random() < 0.5 else "after"
        return "after" if configured == "after" else "before"

    def hit(self, rate: float) -> bool:
        """A seeded draw that is true with probability `rate` (no draw for a rate of 0)."""
        return rate > 0 and self.rng.random() < rate

    def for_request(self, config: SandboxConfig) -> RequestFault | None:
        """The fault (if any) for the next API request; one-shot faults come first."""
        p = self.pending
        if p.drop_next > 0:
            p.drop_next -= 1
            return RequestFault("drop", self._phase(p.error_phase))
        if p.error_next > 0:
            p.error_next -= 1
            return RequestFault("error", self._phase(p.error_phase), p.error_status)
        if p.malformed_next > 0:
            p.malformed_next -= 1
            return RequestFault("malformed", "after")
        if self.hit(config.drop_rate):
            return RequestFault("drop", self._phase(config.error_phase))
        if self.hit(config.error_rate):
            status = self.rng.choice(ERROR_STATUSES)
            return RequestFault("error", self._phase(config.error_phase), status)
        if self.hit(config.malformed_rate):
            return RequestFault("malformed", "after")
        return None

    def take_rejection(self) -> dict[str, str] | None:
        """The `fields` entry of an armed one-shot 400, if any (counts down)."""
        p = self.pending
        if p.reject_next <= 0:
            return None
        p.reject_next -= 1
        return {"name": p.reject_field, "errors": p.reject_errors}

    def for_job(self, config: SandboxConfig) -> JobFault:
        """How the next created job ends, unless the request itself decides (e.g. a bad voice)."""
        p = self.pending
        if p.fail_next_jobs > 0:
            p.fail_next_jobs -= 1
            return JobFault("fail", p.error_code, p.error_message)
        if p.stick_next_jobs > 0:
            p.stick_next_jobs -= 1
            return JobFault("stick")
        if self.hit(config.job_fail_rate):
            return JobFault("fail", DEFAULT_FAIL_CODE, DEFAULT_FAIL_MESSAGE)
        if self.hit(config.job_stuck_rate):
            return JobFault("stick")
        return JobFault("complete")


def retry_after_header(seconds: float) -> str:
    """`Retry-After` in whole seconds, never below 1."""
    return str(max(1, math.ceil(seconds)))
