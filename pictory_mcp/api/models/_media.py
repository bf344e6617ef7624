"""Scene backgrounds and their building blocks: stock search, AI visuals, overlays,
motion settings, b-roll and the image pool (REFERENCE §6.2, §6.3, §6.4)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator
from typing_extensions import Self

from ._base import Color, Number, RequestModel
from ._enums import (
    CATEGORY_PARENTS,
    IMAGE_MODELS,
    REFERENCE_EDIT_MODELS,
    STOCK_CATEGORIES,
    VIDEO_DURATIONS,
    AIModel,
    MediaStyle,
    MediaType,
    StockLibrary,
    VideoDuration,
)

Keyword = Annotated[str, StringConstraints(min_length=2, max_length=100)]


class Clip(RequestModel):
    """A time range in seconds."""

    start: Number = Field(ge=0)
    end: Number = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("clip end must be greater than start (both in seconds)")
        return self


class SearchFilter(RequestModel):
    """Stock search; on elements only `query` is used."""

    query: str | None = Field(None, description="Free-text semantic search")
    keywords: list[Keyword] | None = Field(None, min_length=1, max_length=10)
    category: str | None = Field(None, description='"Parent" or "Parent/Child" stock taxonomy')
    libraries: list[StockLibrary] | None = None

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str | None) -> str | None:
        if value is not None and value not in STOCK_CATEGORIES:
            raise ValueError(
                'category must be "Parent" or "Parent/Child" from the stock taxonomy,'
                f' e.g. "Nature/Sunrises_and_Sunsets"; parents: {CATEGORY_PARENTS}'
            )
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self._given("query", "keywords", "category"):
            raise ValueError("searchFilter needs a query, keywords or a category")
        return self


class AIVisual(RequestModel):
    """An AI-generated image or video; the sibling `type` must match the model kind."""

    prompt: str | None = Field(None, max_length=500, description="Defaults to the scene story")
    model: AIModel
    media_style: MediaStyle | None = Field(None, description="Ignored by video models with prompt")
    video_duration: VideoDuration | None = Field(None, description="Video models; per model")
    visual_continuity: bool | None = Field(None, description="Chain visuals across scenes")
    first_frame_image_url: str | None = Field(None, description="Video models only")
    reference_image_urls: list[str] | None = Field(
        None, min_length=1, max_length=2, description="Video models only"
    )
    reference_image_url: str | None = Field(None, description="Image models that edit references")

    @property
    def kind(self) -> MediaType:
        """`image` or `video`, from the model."""
        return "image" if self.model in IMAGE_MODELS else "video"

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.kind == "image":
            for name in ("video_duration", "first_frame_image_url", "reference_image_urls"):
                if getattr(self, name) is not None:
                    raise ValueError(
                        f"aiVisual.{self._alias(name)} is only for video models;"
                        f" {self.model} is an image model: remove it"
                    )
            if self.reference_image_url is not None and self.model not in REFERENCE_EDIT_MODELS:
                raise ValueError(
                    f"{self.model} does not edit reference images: use seedream3.0 or"
                    " nanobanana with aiVisual.referenceImageUrl"
                )
            return self
        allowed = VIDEO_DURATIONS[self.model]
        if self.video_duration is not None and self.video_duration not in allowed:
            raise ValueError(
                f"aiVisual.videoDuration for {self.model} must be one of {', '.join(allowed)}"
            )
        if self.reference_image_url is not None:
            raise ValueError(
                "aiVisual.referenceImageUrl is for image models; video models take"
                " firstFrameImageUrl or referenceImageUrls"
            )
        self._exclusive("first_frame_image_url", "reference_image_urls", prefix="aiVisual.")
        return self


def check_ai_kind(ai_visual: AIVisual, media_type: str | None, where: str) -> None:
    """Refuse an aiVisual whose sibling `type` is missing or disagrees with its model."""
    if media_type is None:
        raise ValueError(
            f'{where}.type is required with aiVisual: "{ai_visual.kind}" for {ai_visual.model}'
        )
    if media_type != ai_visual.kind:
        article = "an" if ai_visual.kind == "image" else "a"
        raise ValueError(
            f'{where}.type is "{media_type}" but {ai_visual.model} is {article} {ai_visual.kind}'
            f' model: set type "{ai_visual.kind}" or pick a {media_type} model'
        )


class ColorOverlay(RequestModel):
    """A tint over the visual; the colour's alpha is ignored, use opacity."""

    color: Color
    opacity: Number | None = Field(None, ge=0, le=1, description="0-1, default 0.4")


class KenBurnsPoint(RequestModel):
    """One end of an explicit zoom path."""

    zoom: Number = Field(gt=0)
    center_x: Number | None = Field(None, ge=0, le=1)
    center_y: Number | None = Field(None, ge=0, le=1)


class VideoKenBurns(RequestModel):
    """An explicit zoom path from `start` to `end`."""

    start: KenBurnsPoint
    end: KenBurnsPoint


class BackgroundSettings(RequestModel):
    """Playback and motion of a background."""

    loop: bool | None = Field(None, description="Repeat a video to fill the scene")
    mute: bool | None = Field(None, description="Silence the clip's own audio")
    zoom_and_pan: bool | None = Field(None, description="Automatic motion, any background")
    ken_burns_effect: bool | None = Field(
        None, description="Image backgrounds; not with zoomAndPan"
    )
    video_ken_burns: VideoKenBurns | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.ken_burns_effect and self.zoom_and_pan:
            raise ValueError(
                "settings.kenBurnsEffect and settings.zoomAndPan are mutually exclusive:"
                " send only one"
            )
        return self


class MotionGraphics(RequestModel):
    """An animated-graphics background."""

    enabled: bool | None = None
    prompt: str | None = None
    style: str | None = None


class Background(RequestModel):
    """One of visualUrl, color or aiVisual, or a searchFilter; extras combine with any."""

    visual_url: str | None = None
    type: MediaType | None = Field(None, description="Required with aiVisual")
    clips: list[Clip] | None = Field(None, max_length=10, description="Trim; video visualUrl only")
    color: Color | None = None
    search_filter: SearchFilter | None = None
    ai_visual: AIVisual | None = None
    color_overlay: ColorOverlay | None = None
    settings: BackgroundSettings | None = None
    motion_graphics: MotionGraphics | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        sources = self._given("visual_url", "color", "ai_visual", "search_filter")
        if len(sources) > 1:
            raise ValueError(
                f"background takes one of visualUrl, color, aiVisual or searchFilter;"
                f" got {' and '.join(sources)}: keep one"
            )
        if self.ai_visual is not None:
            check_ai_kind(self.ai_visual, self.type, "background")
        if self.clips is not None and (self.visual_url is None or self.type != "video"):
            raise ValueError('background.clips trims a visualUrl with type "video" only')
        if self.settings and self.settings.ken_burns_effect and self.type == "video":
            raise ValueError(
                "settings.kenBurnsEffect is for image backgrounds: use zoomAndPan or"
                " videoKenBurns on video"
            )
        return self


class BackgroundBroll(Background):
    """A b-roll cut shown over the scene's base background."""

    broll_clip: Clip | None = Field(None, description="When the cut shows, in scene seconds")


class BackgroundCorpusItem(RequestModel):
    """An image in the pool the engine picks scene backgrounds from."""

    visual_url: str
    type: Literal["image"] | None = None
    prefer: bool | None = None
