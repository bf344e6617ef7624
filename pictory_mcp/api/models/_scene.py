"""The scene object: content source, timing, visuals and per-scene overrides
(REFERENCE §6.2, §6.9)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import Color, Number, Percent, RequestModel
from ._elements import Element
from ._enums import AudioLanguage, ElementPosition, Platform, SceneTransition, Tone, VideoType
from ._media import Background, BackgroundBroll, BackgroundCorpusItem
from ._style import FontStyle
from ._voice import SceneBackgroundMusic, VoiceOver

_SOURCES = ("story", "story_co_pilot", "blog_url", "ppt_url", "audio_url", "video_url")


class StoryCoPilot(RequestModel):
    """Pictory's AI writes the scene script from a prompt."""

    prompt: str = Field(min_length=1, max_length=5000)
    video_type: VideoType | None = None
    duration: int | None = Field(None, ge=1, le=600, description="Seconds")
    platform: Platform | None = None
    tone: Tone | None = None


class SceneAvatar(RequestModel):
    """Per-scene avatar placement and look; the avatar itself is chosen at the top level."""

    position: ElementPosition | None = Field(None, description="Preset; not with top/left")
    top: Percent | None = None
    left: Percent | None = None
    width: Percent | None = None
    hide: bool | None = None
    background_color: Color | None = None
    border_radius: Percent | None = None
    border_color: Color | None = None
    border_thickness: int | None = Field(None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _no_avatar_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("avatarId" in data or "avatar_id" in data):
            raise ValueError(
                "scene avatar cannot set avatarId: set avatar.avatarId at the top level"
            )
        return data

    @model_validator(mode="after")
    def _one_placement(self) -> Self:
        if self.position is not None and (self.top is not None or self.left is not None):
            raise ValueError("scene avatar position and top/left are mutually exclusive")
        return self


class Scene(RequestModel):
    """One scene: exactly one content source (or only a background), plus styling."""

    story: str | None = Field(None, min_length=1, max_length=15000, description="Narration text")
    is_ssml_story: bool | None = Field(None, alias="isSSMLStory", description="story is SSML")
    create_scene_on_new_line: bool | None = Field(None, description="Split story at newlines")
    create_scene_on_end_of_sentence: bool | None = Field(None, description="One scene a sentence")
    story_co_pilot: StoryCoPilot | None = None
    blog_url: str | None = Field(None, description="Public article to turn into scenes")
    ppt_url: str | None = Field(None, description="Public .pptx to turn into scenes")
    use_speaker_notes: bool | None = Field(None, description="pptUrl: narrate speaker notes")
    audio_url: str | None = Field(None, description="Audio to repurpose; needs audioLanguage")
    video_url: str | None = Field(None, description="Video to repurpose; needs audioLanguage")
    audio_language: AudioLanguage | None = None
    transcript: Any = Field(None, description="audioUrl/videoUrl only: your own transcript")
    media_repurpose_settings: dict[str, Any] | None = Field(None, description="audio/videoUrl only")
    caption: str | None = Field(None, description="With story only; not with createSceneOn*")
    max_subtitle_lines: int | None = Field(None, ge=1, le=4, description="Not with a smart layout")
    highlight_keywords: bool | None = None
    hide_subtitles: bool | None = None
    minimum_duration: Number | None = Field(None, ge=0, description="Seconds")
    end_pause_duration: Number | None = Field(None, ge=0, description="Seconds")
    scene_transition: SceneTransition | None = Field(None, description="Into this scene")
    subtitle_style: FontStyle | None = None
    background: Background | None = None
    background_brolls: list[BackgroundBroll] | None = None
    background_corpus: list[BackgroundCorpusItem] | None = Field(None, description="Image pool")
    voice_over: VoiceOver | None = None
    background_music: SceneBackgroundMusic | None = None
    avatar: SceneAvatar | None = None
    elements: list[Element] | None = Field(None, min_length=1, max_length=20)

    @model_validator(mode="after")
    def _rules(self) -> Self:
        sources = self._given(*_SOURCES)
        if len(sources) > 1:
            raise ValueError(
                f"a scene takes exactly one content source; got {' and '.join(sources)}:"
                " keep one and put the other in its own scene"
            )
        if not sources and self.background is None:
            raise ValueError(
                "a scene needs one of story, storyCoPilot, blogUrl, pptUrl, audioUrl,"
                " videoUrl, or a background for a visual-only scene"
            )
        self._story_rules()
        self._repurpose_rules()
        return self

    def _story_rules(self) -> None:
        if self.story is None:
            for name in ("is_ssml_story", "caption"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{self._alias(name)} needs story: add the scene's story")
        if self.caption is not None and (
            self.create_scene_on_new_line or self.create_scene_on_end_of_sentence
        ):
            raise ValueError(
                "caption cannot be combined with createSceneOnNewLine or"
                " createSceneOnEndOfSentence: drop the caption or the split flags"
            )
        # Stricter than the reference, which documents no refusal: elsewhere it is ignored.
        if self.use_speaker_notes is not None and self.ppt_url is None:
            raise ValueError("useSpeakerNotes needs pptUrl")

    def _repurpose_rules(self) -> None:
        repurposed = self.audio_url is not None or self.video_url is not None
        if repurposed and self.audio_language is None:
            raise ValueError('audioUrl/videoUrl scenes need audioLanguage, e.g. "en-US"')
        if not repurposed:
            for name in ("audio_language", "transcript", "media_repurpose_settings"):
                if getattr(self, name) is not None:
                    raise ValueError(
                        f"{self._alias(name)} is only allowed on audioUrl/videoUrl scenes"
                    )
