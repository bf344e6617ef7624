"""Trimmed, shared result models the agent sees. Small on purpose: each schema costs tokens."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class JobError(BaseModel):
    code: str | None = None
    message: str
    fix: str


class JobView(BaseModel):
    """A job as the agent sees it, after submission or after a poll."""

    job_id: str
    kind: str | None = None
    status: str
    progress: float | None = None
    message: str | None = None
    video_url: str | None = None
    share_url: str | None = None
    thumbnail_url: str | None = None
    subtitles: dict[str, str] | None = None
    duration_seconds: float | None = None
    preview_url: str | None = None
    project_id: str | None = None
    credits_used: float | None = None
    submitted: dict[str, Any] | None = None
    error: JobError | None = None
    next_step: str


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
