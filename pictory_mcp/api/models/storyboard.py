"""The storyboard request body shared by preview and render (REFERENCE §6.1, §6.9, §18),
its top-level rules (§6.13) and its JSON schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import Color, CompactJsonSchema, Percent, RequestModel
from ._elements import Element, ElementMediaSettings, MediaElement, ShapeElement, TextElement
from ._enums import (
    AIModel,
    AspectRatio,
    AudioLanguage,
    GridPosition,
    Language,
    MediaStyle,
    SceneTransition,
    VisualSelectionPreference,
)
from ._media import (
    AIVisual,
    Background,
    BackgroundBroll,
    BackgroundCorpusItem,
    BackgroundSettings,
    Clip,
    ColorOverlay,
    KenBurnsPoint,
    MotionGraphics,
    SearchFilter,
    VideoKenBurns,
)
from ._scene import Scene, SceneAvatar, StoryCoPilot
from ._style import Animation, FontStyle
from ._voice import (
    AIVoice,
    BackgroundMusic,
    ExternalVoice,
    PremiumVoiceSettings,
    SceneBackgroundMusic,
    VoiceOver,
)

__all__ = [
    "AIModel",
    "AIVisual",
    "AIVoice",
    "Animation",
    "AspectRatio",
    "AudioLanguage",
    "Avatar",
    "Background",
    "BackgroundBroll",
    "BackgroundCorpusItem",
    "BackgroundMusic",
    "BackgroundSettings",
    "Clip",
    "ColorOverlay",
    "Destination",
    "Element",
    "ElementMediaSettings",
    "ExternalVoice",
    "FontStyle",
    "KenBurnsPoint",
    "Language",
    "Logo",
    "MediaElement",
    "MediaStyle",
    "MotionGraphics",
    "PremiumVoiceSettings",
    "Scene",
    "SceneAvatar",
    "SceneBackgroundMusic",
    "SceneTransition",
    "SearchFilter",
    "ShapeElement",
    "StoryCoPilot",
    "Storyboard",
    "TextElement",
    "VideoKenBurns",
    "VisualSelectionPreference",
    "VoiceOver",
    "storyboard_json_schema",
]


class Logo(RequestModel):
    """A logo shown over the whole video."""

    url: str
    position: GridPosition | None = None
    width: Percent | None = None


class Avatar(RequestModel):
    """The AI presenter; needs voiceOver.enabled. Costs AI credits."""

    avatar_id: str = Field(min_length=1, description="A look id from the avatars list")
    position: GridPosition | None = None
    width: Percent | None = None
    border_radius: Percent | None = None
    background_color: Color | None = None
    hide: bool | None = None


class Destination(RequestModel):
    """Where to publish the render; Vimeo needs vimeoConnectionId."""

    type: Literal["vimeo"]
    folder_uri: str | None = Field(None, alias="folder_uri", description='E.g. "/videos/123456"')
    content_rating: list[str] | None = Field(None, alias="content_rating")
    privacy: dict[str, Any] | None = Field(None, description="Vimeo privacy: view, embed, ...")


class Storyboard(RequestModel):
    """Preview/render body. Colours: rgb(), rgba(), #hex. Percentages: "0%"-"100%", integers."""

    video_name: str = Field(min_length=1, description="Output file name and title")
    video_description: str | None = None
    video_width: int | None = Field(None, gt=0, description="Only with videoHeight")
    video_height: int | None = Field(None, gt=0, description="Only with videoWidth")
    aspect_ratio: AspectRatio | None = None
    language: Language | None = Field(None, description="Script language")
    save_project: bool | None = Field(None, description="Also save an editable project")
    webhook: str | None = Field(None, max_length=500, description="Called on completion")
    webhook_input: dict[str, Any] | None = Field(None, description="Echoed in the webhook call")
    # Pictory takes any string (all but "v3" pin the v2 engine, where v3 features stop
    # working); the client takes only the two engines' names.
    storyboard_version: Literal["v2", "v3"] | None = Field(None, description="Leave unset")
    template_id: str | None = Field(None, description="Build from a saved template")
    variables: dict[str, Any] | None = Field(None, description="Template placeholder values")
    brand_id: str | None = None
    brand_name: str | None = None
    smart_layout_id: str | None = None
    smart_layout_name: str | None = None
    subtitle_style_id: str | None = None
    subtitle_style_name: str | None = None
    subtitle_style: FontStyle | None = None
    voice_over: VoiceOver | None = Field(None, description="Omitted means a silent video")
    background_music: BackgroundMusic | None = None
    logo: Logo | None = None
    avatar: Avatar | None = None
    aws_connection_id: str | None = Field(None, description="Read private S3 media")
    vimeo_connection_id: str | None = None
    destinations: list[Destination] | None = Field(None, min_length=1)
    visual_library_id: str | None = None
    visual_selection_preference: VisualSelectionPreference | None = None
    project_metadata: dict[str, Any] | None = None
    scenes: list[Scene] | None = Field(None, min_length=1, description="Required unless templateId")

    @model_validator(mode="after")
    def _rules(self) -> Self:
        self._exclusive("brand_id", "brand_name")
        # Only the brand and subtitle-style pairs are documented as exclusive; with both layout
        # fields, which one Pictory uses is not documented, so the client asks for one.
        self._exclusive("smart_layout_id", "smart_layout_name")
        self._exclusive("subtitle_style_id", "subtitle_style_name")
        if (self.video_width is None) != (self.video_height is None):
            raise ValueError(
                "videoWidth and videoHeight must be sent together; or use aspectRatio alone"
            )
        if self.scenes is None and self.template_id is None:
            raise ValueError("scenes is required (at least 1 scene) unless templateId is given")
        # Stricter than the reference, which documents no refusal: alone they are ignored.
        if self.variables is not None and self.template_id is None:
            raise ValueError("variables fill a template: add templateId or remove variables")
        if self.avatar is not None and not (self.voice_over and self.voice_over.enabled):
            raise ValueError("avatar requires voiceOver.enabled: true with a voice to lip-sync")
        if self.destinations and self.vimeo_connection_id is None:
            raise ValueError("vimeo destinations need vimeoConnectionId")
        self._scene_rules()
        return self

    def _scene_rules(self) -> None:
        smart_layout = self._given("smart_layout_id", "smart_layout_name")
        for index, scene in enumerate(self.scenes or []):
            if smart_layout and scene.max_subtitle_lines is not None:
                raise ValueError(
                    f"scenes[{index}].maxSubtitleLines is not allowed with {smart_layout[0]}:"
                    " remove one"
                )


def storyboard_json_schema() -> dict[str, Any]:
    """The JSON schema of a storyboard body, with Pictory's field names."""
    return Storyboard.model_json_schema(
        by_alias=True, mode="validation", schema_generator=CompactJsonSchema
    )
