"""Trimmed, shared result models the agent sees. Small on purpose: each schema costs tokens."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema


class JobError(BaseModel):
    code: str | None = None
    message: str
    fix: str


class JobView(BaseModel):
    # A job as the agent sees it (no docstring: it would be sent as the schema's description).
    # Less-used fields live in `details` to keep the schema small: share_url, thumbnail_url,
    # subtitles, duration_seconds, preview_url, project_id, credits_used, message (progress
    # text), submitted (what was sent, in brief), step. `kind` and `details` are left out of the
    # published schema (every result still carries them): next_step tells the agent about them.

    job_id: str
    status: str
    kind: SkipJsonSchema[str | None] = None
    progress: float | None = None
    video_url: str | None = None
    error: JobError | None = None
    details: SkipJsonSchema[dict[str, Any] | None] = None
    next_step: str

    def detail(self, **values: Any) -> None:
        """Add the non-empty `values` to `details`."""
        kept = {k: v for k, v in values.items() if v not in (None, {}, [])}
        if kept:
            self.details = {**(self.details or {}), **kept}


class VoiceItem(BaseModel):
    name: str
    language: str | None = None
    accent: str | None = None
    gender: str | None = None
    service: str | None = None
    engine: str | None = None
    sample_url: str | None = None


class VoiceList(BaseModel):
    voices: list[VoiceItem]
    total: int
    next_offset: int | None = None


class Page(BaseModel):
    # One page of any list (scenes, catalogue items): a few items, the count, how to get more.
    items: list[dict[str, Any]]
    total: int
    next_offset: int | None = None
    next_step: str | None = None
