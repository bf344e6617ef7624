"""Start-up options of the sandbox (`SandboxConfig`) and their validation.

The same dataclass backs the CLI flags, the in-process runners and `PATCH /__sandbox/config`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

ErrorPhase = Literal["before", "after", "mixed"]
InvalidVoiceMode = Literal["async", "sync"]

ERROR_PHASES: tuple[ErrorPhase, ...] = ("before", "after", "mixed")
INVALID_VOICE_MODES: tuple[InvalidVoiceMode, ...] = ("async", "sync")

# Blog/PPT URLs starting with one of these prefixes fail the job; so does any host ending
# in ".invalid" (the reserved TLD), which needs no configuration.
DEFAULT_UNREACHABLE_URLS: tuple[str, ...] = ("https://unreachable.example/",)


@dataclass(frozen=True)
class SandboxConfig:
    """Everything that shapes how the sandbox behaves; immutable, replaced wholesale on change."""

    render_seconds: float = 6.0
    """Sandbox-clock seconds a render job takes; previews, transcriptions and highlights take half."""
    error_rate: float = 0.0
    """Share of API requests answered 500/502/503."""
    error_phase: ErrorPhase = "before"
    """Whether injected errors and drops happen before the request is processed, after it
    (the job exists but the answer is lost) or either, at random."""
    rate_limit: float | None = None
    """Requests per second allowed per key (token bucket, burst = max(1, rate)); None = no limit."""
    latency_ms: int = 0
    """Added to every API answer."""
    drop_rate: float = 0.0
    """Share of API requests whose TCP connection is closed without any HTTP answer."""
    malformed_rate: float = 0.0
    """Share of API answers whose JSON body is cut in half."""
    job_fail_rate: float = 0.0
    """Share of created jobs that end `failed` (TEXT_TO_VIDEO_FAILED)."""
    job_stuck_rate: float = 0.0
    """Share of created jobs that stay `in-progress` forever."""
    invalid_voice_mode: InvalidVoiceMode = "async"
    """`async`: an unknown speaker fails the job; `sync`: it is a 400 at submission."""
    unreachable_urls: tuple[str, ...] = DEFAULT_UNREACHABLE_URLS
    """URL prefixes of blog/PPT sources that cannot be fetched (the job fails)."""
    valid_keys: tuple[str, ...] | None = None
    """Accepted API keys; None accepts any key starting with `pictai_`."""
    max_jobs_per_key: int = 1000
    """Jobs kept per key; the oldest finished job is evicted, or 429 when none is finished."""
    max_body_bytes: int = 1_000_000
    """Larger request bodies get 413."""
    webhook_delay_seconds: float = 0.0
    """Sandbox seconds between a job finishing and its webhook call (a late webhook)."""
    webhook_duplicate_rate: float = 0.0
    """Share of webhook calls sent twice."""
    webhook_drop_rate: float = 0.0
    """Share of webhook calls never sent."""
    video_minutes_limit: float = 14400.0
    """The account's video minutes (`GET /v1/quota` `videoMinutes.limit`)."""
    video_minutes_used: float = 98.0
    """Video minutes each key had used before the sandbox started; every completed render of
    the key adds its `videoDuration` to `videoMinutes.used`."""
    quota_status: int | None = None
    """When set, `GET /v1/quota` answers with this HTTP status (400-599): a quota that cannot
    be read."""
    quota_latency_ms: int = 0
    """Added to `GET /v1/quota` answers only."""
    clock_speed: float = 1.0
    """Sandbox seconds per real second (job lifecycles and rate limits read the sandbox clock)."""
    seed: int = 0
    """Seed of every random choice (faults, generated transcripts are URL-derived)."""

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValueError("; ".join(problems))

    def updated(self, changes: Mapping[str, object]) -> SandboxConfig:
        """Return a copy with `changes` (JSON-style values) applied; unknown fields raise ValueError."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown config field(s): {', '.join(unknown)}")
        coerced: dict[str, Any] = {}
        for name, value in changes.items():
            if name in ("unreachable_urls", "valid_keys") and isinstance(value, list):
                value = tuple(value)
            coerced[name] = value
        try:
            return dataclasses.replace(self, **coerced)
        except TypeError as exc:  # pragma: no cover - replace only raises for unknown names
            raise ValueError(str(exc)) from exc

    def to_json(self) -> dict[str, object]:
        """The config as a JSON-ready dict (tuples become lists)."""
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _problems(cfg: SandboxConfig) -> list[str]:
    problems: list[str] = []
    rates = ("error_rate", "drop_rate", "malformed_rate", "job_fail_rate", "job_stuck_rate")
    for name in (*rates, "webhook_duplicate_rate", "webhook_drop_rate"):
        value = getattr(cfg, name)
        if not _is_number(value) or not 0.0 <= value <= 1.0:
            problems.append(f"{name} must be a number between 0 and 1")
    if not _is_number(cfg.render_seconds) or cfg.render_seconds < 0:
        problems.append("render_seconds must be a number >= 0")
    if not _is_number(cfg.webhook_delay_seconds) or cfg.webhook_delay_seconds < 0:
        problems.append("webhook_delay_seconds must be a number >= 0")
    if not _is_number(cfg.clock_speed) or cfg.clock_speed <= 0:
        problems.append("clock_speed must be a number > 0")
    if cfg.rate_limit is not None and (not _is_number(cfg.rate_limit) or cfg.rate_limit <= 0):
        problems.append("rate_limit must be a number > 0, or null")
    for name in ("video_minutes_limit", "video_minutes_used"):
        if not _is_number(getattr(cfg, name)) or getattr(cfg, name) < 0:
            problems.append(f"{name} must be a number >= 0")
    if cfg.quota_status is not None and (
        not isinstance(cfg.quota_status, int)
        or isinstance(cfg.quota_status, bool)
        or not 400 <= cfg.quota_status <= 599
    ):
        problems.append("quota_status must be an HTTP status between 400 and 599, or null")
    for name in ("latency_ms", "seed", "quota_latency_ms"):
        value = getattr(cfg, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{name} must be an integer >= 0")
    for name in ("max_jobs_per_key", "max_body_bytes"):
        value = getattr(cfg, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"{name} must be an integer >= 1")
    if cfg.error_phase not in ERROR_PHASES:
        problems.append(f"error_phase must be one of {', '.join(ERROR_PHASES)}")
    if cfg.invalid_voice_mode not in INVALID_VOICE_MODES:
        problems.append(f"invalid_voice_mode must be one of {', '.join(INVALID_VOICE_MODES)}")
    if not isinstance(cfg.unreachable_urls, tuple) or not all(
        isinstance(u, str) for u in cfg.unreachable_urls
    ):
        problems.append("unreachable_urls must be a list of strings")
    if cfg.valid_keys is not None and (
        not isinstance(cfg.valid_keys, tuple)
        or not all(isinstance(k, str) and k.startswith("pictai_") for k in cfg.valid_keys)
    ):
        problems.append("valid_keys must be null or a list of keys starting with pictai_")
    return problems
