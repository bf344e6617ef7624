"""Request bodies besides the storyboard: transcription, highlights and music search
(REFERENCE §9, §11)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from pictory_mcp.facts import MUSIC_PAGE_SIZE_MAX, MUSIC_PAGE_SIZE_MIN

from ._base import RequestModel

__all__ = [
    "HighlightsFromJobRequest",
    "HighlightsRequest",
    "MusicSearchRequest",
    "TranscriptionRequest",
]

_WEBHOOK = Field(None, max_length=500, description="Called when the job finishes")


class TranscriptionRequest(RequestModel):
    """POST /v2/transcription: transcribe a public video or audio file."""

    file_url: str = Field(pattern=r"^https://", description="HTTPS; mp4, mov, avi, mp3, wav, m4a")
    media_type: Literal["video", "audio"] | None = Field(None, description="Default video")
    language: str | None = Field(None, min_length=2, max_length=10, description='E.g. "en-US"')
    webhook: str | None = _WEBHOOK
    transcript: list[dict[str, Any]] | None = Field(None, description="Bring your own transcript")


class HighlightsFromJobRequest(RequestModel):
    """POST /v2/transcription/{jobId}/highlights: highlights of a finished transcription."""

    highlight_duration: int | None = Field(
        None, gt=0, alias="highlight_duration", description="Target length, seconds"
    )
    language: str | None = Field(None, min_length=2, max_length=10, description='E.g. "en"')
    webhook: str | None = _WEBHOOK


class HighlightsRequest(HighlightsFromJobRequest):
    """POST /v2/transcription/highlights: highlights of a transcript you supply."""

    transcript: list[dict[str, Any]] = Field(
        min_length=1, description="Sentences with word timings, as a transcription returns"
    )
    duration: int | None = Field(None, gt=0, description="Source length, seconds")


class MusicSearchRequest(RequestModel):
    """POST /v1/music/search. Filter values are case-sensitive facet values."""

    query: str | None = None
    page: int | None = Field(None, ge=1)
    page_size: int | None = Field(None, ge=MUSIC_PAGE_SIZE_MIN, le=MUSIC_PAGE_SIZE_MAX)
    sort: Literal["latest", "shuffle", "featured"] | None = None
    genre_group: list[str] | None = None
    genre: list[str] | None = None
    mood: list[str] | None = None
    instrument: list[str] | None = None
    purpose: list[str] | None = None
    not_genre_group: list[str] | None = None
    not_genre: list[str] | None = None
    not_mood: list[str] | None = None
    not_instrument: list[str] | None = None
    not_purpose: list[str] | None = None
    min_duration: int | None = Field(None, ge=0, description="Seconds")
    max_duration: int | None = Field(None, ge=0, description="Seconds")

    @model_validator(mode="after")
    def _durations(self) -> Self:
        if (
            self.min_duration is not None
            and self.max_duration is not None
            and self.min_duration > self.max_duration
        ):
            raise ValueError("minDuration must not exceed maxDuration")
        return self
