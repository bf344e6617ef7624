"""Narration and music: voiceOver and backgroundMusic (REFERENCE §6.7, §6.8)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator
from typing_extensions import Self

from pictory_mcp.facts import (
    AMPLIFICATION_MAX,
    AMPLIFICATION_MIN,
    MUSIC_VOLUME_MAX,
    MUSIC_VOLUME_MIN,
    VOICE_SPEED_MAX,
    VOICE_SPEED_MIN,
)

from ._base import Number, Percent, RequestModel
from ._enums import ElevenLabsModel
from ._media import Clip


class PremiumVoiceSettings(RequestModel):
    """ElevenLabs tuning; works only for voices whose service is elevenlabs."""

    model_id: ElevenLabsModel | None = None
    stability: Percent | None = None
    similarity_boost: Percent | None = None
    style: Percent | None = None
    use_speaker_boost: bool | None = None


class AIVoice(RequestModel):
    """An AI narrator; several voices rotate across scenes."""

    speaker: str = Field(min_length=1, description="Voice name, track id or provider voice id")
    speed: int | None = Field(
        None, ge=VOICE_SPEED_MIN, le=VOICE_SPEED_MAX, description="Percent, default 100"
    )
    amplification_level: Number | None = Field(
        None, ge=AMPLIFICATION_MIN, le=AMPLIFICATION_MAX, description="Default 0"
    )
    premium_voice_settings: PremiumVoiceSettings | None = None


class ExternalVoice(RequestModel):
    """A recorded narration file instead of an AI voice."""

    voice_url: str
    sync_voice: bool | None = Field(None, description="Align scenes to the recording")
    amplification_level: Number | None = Field(None, ge=AMPLIFICATION_MIN, le=AMPLIFICATION_MAX)


class VoiceOver(RequestModel):
    """Narration; omitted means a silent video. aiVoices or externalVoice, not both."""

    enabled: bool | None = None
    ai_voices: list[AIVoice] | None = Field(None, min_length=1, description="Use one per narrator")
    external_voice: ExternalVoice | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        self._exclusive("ai_voices", "external_voice", prefix="voiceOver.")
        return self


class BackgroundMusic(RequestModel):
    """Music bed: autoMusic or musicUrl. Set volume: omitted means full volume."""

    enabled: bool | None = None
    auto_music: bool | None = Field(None, description="Pictory picks a matching track")
    music_url: str | None = Field(None, description="E.g. an audioUrl from music search")
    volume: Number | None = Field(
        None,
        ge=MUSIC_VOLUME_MIN,
        le=MUSIC_VOLUME_MAX,
        description="0-1; 0.08-0.15 under a voice",
    )
    clips: list[Clip] | None = Field(None, max_length=10)

    @model_validator(mode="after")
    def _rules(self) -> Self:
        self._exclusive("auto_music", "music_url", prefix="backgroundMusic.")
        return self


class SceneBackgroundMusic(RequestModel):
    """Per-scene music switch; track and volume are set only at the top level."""

    enabled: bool

    @model_validator(mode="before")
    @classmethod
    def _only_enabled(cls, data: Any) -> Any:
        if isinstance(data, dict):
            extra = sorted(set(data) - {"enabled"})
            if extra:
                raise ValueError(
                    "scene backgroundMusic accepts only enabled; set the track and volume"
                    f" in the top-level backgroundMusic (remove {', '.join(extra)[:80]})"
                )
        return data
