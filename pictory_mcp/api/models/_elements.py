"""Scene overlay elements: text, shape and media, told apart by `type` (REFERENCE §6.5)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from typing_extensions import Self

from ._base import Color, Percent, RequestModel
from ._enums import SHAPE_HELP, SHAPES, ElementPosition, TextVariant
from ._media import AIVisual, ColorOverlay, SearchFilter, check_ai_kind
from ._style import FontStyle


class _Placed(RequestModel):
    """Positioning shared by every element: a preset or top/left, never both."""

    position: ElementPosition | None = Field(None, description="Preset; not with top/left")
    top: Percent | None = Field(None, description="From the frame's top edge")
    left: Percent | None = Field(None, description="From the frame's left edge")
    width: Percent | None = Field(None, description="Share of frame width")

    @model_validator(mode="after")
    def _one_placement(self) -> Self:
        if self.position is not None and (self.top is not None or self.left is not None):
            raise ValueError(
                "element position and top/left are mutually exclusive:"
                " use the preset or the coordinates, not both"
            )
        return self


class TextElement(_Placed):
    """Overlay text; `textVariant` seeds size and anchor (heading 66px, body 20px)."""

    type: Literal["text"]
    text: str = Field(min_length=1, max_length=2000)
    text_variant: TextVariant | None = Field(None, description="Unset means body (20px)")
    style: FontStyle | None = None

    @model_validator(mode="after")
    def _text_style(self) -> Self:
        style = self.style
        if style is not None and style._given("show_bullet", "bullet_size", "bullet_fill_color"):
            raise ValueError(
                "showBullet, bulletSize and bulletFillColor are for subtitle styles only:"
                " remove them from the text element style"
            )
        return self


class ShapeElement(_Placed):
    """A catalogue shape; stroke styling shows on basic shapes only."""

    type: Literal["shape"]
    name: str = Field(description="rectangle, circle, line, pill, badge-1, arrow-3, ...")
    fill: Color | None = None
    stroke: Color | None = None
    stroke_width: int | None = Field(None, ge=0)
    border_radius: int | None = Field(None, ge=0, description="Rectangle corner rounding, px")

    @field_validator("name")
    @classmethod
    def _known_shape(cls, value: str) -> str:
        if value not in SHAPES:
            raise ValueError(f"unknown shape name; use one of {SHAPE_HELP}")
        return value


class ElementMediaSettings(RequestModel):
    """Playback of a video element (both default true)."""

    loop: bool | None = None
    mute: bool | None = None


class MediaElement(_Placed):
    """An image or video overlay from exactly one of visualUrl, searchFilter or aiVisual."""

    type: Literal["image", "video"]
    visual_url: str | None = None
    search_filter: SearchFilter | None = Field(None, description="Only query is used")
    ai_visual: AIVisual | None = None
    color_overlay: ColorOverlay | None = None
    settings: ElementMediaSettings | None = Field(None, description="Video elements only")

    @model_validator(mode="after")
    def _rules(self) -> Self:
        sources = self._given("visual_url", "search_filter", "ai_visual")
        if len(sources) != 1:
            got = f"got {' and '.join(sources)}" if sources else "got none"
            raise ValueError(
                f"a {self.type} element needs exactly one of visualUrl, searchFilter"
                f" or aiVisual ({got})"
            )
        if self.search_filter is not None and self.search_filter._given(
            "keywords", "category", "libraries"
        ):
            raise ValueError(
                "element searchFilter uses only query: move keywords/category into the query"
            )
        if self.ai_visual is not None:
            check_ai_kind(self.ai_visual, self.type, "element")
        if self.settings is not None and self.type != "video":
            raise ValueError("element settings (loop, mute) apply to video elements only")
        return self


Element = Annotated[TextElement | ShapeElement | MediaElement, Field(discriminator="type")]
"""One scene overlay; `type` (text, shape, image, video) selects the model."""
