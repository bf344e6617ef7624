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
    # text), submitted (what was sent, in brief), step. The published schema, repeated by
    # every tool returning a job, lists only the fields every answer carries; the others
    # (`kind`, `progress`, `video_url`, `error`, `details`) appear when they have a value, and
    # next_step names the one to use (the progress, the video_url to give, the error's fix).

    job_id: str
    status: str
    kind: SkipJsonSchema[str | None] = None
    progress: SkipJsonSchema[float | None] = None
    video_url: SkipJsonSchema[str | None] = None
    error: SkipJsonSchema[JobError | None] = None
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
    # `next_step` is left out of the published schema (results carry it when there is one).
    items: list[dict[str, Any]]
    total: int
    next_offset: int | None = None
    next_step: SkipJsonSchema[str | None] = None


class JobList(BaseModel):
    # One page of the job history: rows of job_id, name, kind, status, created, video_url.
    jobs: list[dict[str, Any]]
    total: int
    next_offset: int | None = None
    next_step: SkipJsonSchema[str | None] = None


# --- what the inline views (MCP Apps) read; never listed to the model ------------------------


class PlayerState(BaseModel):
    # The player view's state of one job. While it runs: progress, Pictory's progress text and
    # when to ask again; once finished: the video, its poster, subtitles (WebVTT text, so the
    # view can play them without fetching another host), name and length; or the error.
    job_id: str
    status: str
    kind: str | None = None
    name: str | None = None
    progress: float | None = None
    message: str | None = None
    video_url: str | None = None
    thumbnail_url: str | None = None
    share_url: str | None = None
    duration_seconds: float | None = None
    subtitles_vtt: str | None = None
    error: JobError | None = None
    refresh_seconds: float | None = None
    next_step: str


class Storyboard(BaseModel):
    # A completed preview as the storyboard view shows it: every scene, its text in full.
    job_id: str
    name: str | None = None
    width: int | None = None
    height: int | None = None
    preview_url: str | None = None
    total_seconds: float
    scenes: list[dict[str, Any]]
    editable: bool
    next_step: str
