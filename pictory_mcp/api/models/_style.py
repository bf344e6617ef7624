"""Text styling: the fontStyle object and its animations (REFERENCE §6.6)."""

from __future__ import annotations

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import Color, Number, Percent, RequestModel
from ._enums import (
    FONTS,
    Alignment,
    AnimationName,
    AnimationSpeed,
    AnimationType,
    Decoration,
    Direction,
    FutureWords,
    GridPosition,
    TextCase,
    WritingStyle,
)

_FONTS_BY_LOWER = {name.lower(): name for name in FONTS}


class Animation(RequestModel):
    """A text entry or exit animation."""

    name: AnimationName
    type: AnimationType
    speed: AnimationSpeed | None = None
    custom_speed_value: Number | None = Field(None, ge=0.5, description="Only with speed custom")
    direction: Direction | None = None
    writing_style: WritingStyle | None = None
    future_words: FutureWords | None = Field(None, description="Only for fade and blur")

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.speed == "custom" and self.custom_speed_value is None:
            raise ValueError('animation speed "custom" needs customSpeedValue (>= 0.5)')
        # Stricter than the reference, which documents no refusal: elsewhere it is ignored.
        if self.custom_speed_value is not None and self.speed != "custom":
            raise ValueError('customSpeedValue is only used with speed "custom": set speed')
        if self.future_words is not None and self.name not in ("fade", "blur"):
            raise ValueError(
                'futureWords only applies to the "fade" and "blur" animations: remove it'
            )
        return self


class FontStyle(RequestModel):
    """Subtitle or text-element style."""

    font_family: str | None = Field(None, description="Built-in font, or any name with fontUrl")
    font_url: str | None = Field(None, description="Custom font file (.ttf) URL")
    font_size: int | None = Field(None, ge=1, description="Canvas pixels")
    color: Color | None = None
    background_color: Color | None = Field(None, description='"rgba(0,0,0,0)" removes the strip')
    keyword_color: Color | None = None
    shadow_color: Color | None = None
    shadow_width: Percent | None = None
    position: GridPosition | None = None
    alignment: Alignment | None = None
    decorations: list[Decoration] | None = None
    case: TextCase | None = None
    paragraph_width: Percent | None = None
    show_box_background: bool | None = None
    show_bullet: bool | None = None
    bullet_size: int | None = Field(None, ge=1)
    bullet_fill_color: Color | None = None
    animations: list[Animation] | None = Field(
        None, min_length=1, max_length=2, description="At most one entry and one exit"
    )

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.font_url is not None and self.font_family is None:
            raise ValueError("fontUrl needs fontFamily: name the custom font")
        if self.font_family is not None and self.font_url is None:
            _check_font(self.font_family)
        if self.animations is not None:
            kinds = [a.type for a in self.animations]
            if len(kinds) != len(set(kinds)):
                raise ValueError(
                    "animations takes at most one entry and one exit animation:"
                    " remove the duplicate"
                )
        return self


def _check_font(family: str) -> None:
    if family in FONTS:
        return
    exact = _FONTS_BY_LOWER.get(family.lower())
    # The reference lists the names without saying how they are matched; the client asks for
    # the listed spelling, as it does for voice names (the sandbox matches without case).
    if exact is not None:
        raise ValueError(f'fontFamily is case-sensitive: use "{exact}"')
    raise ValueError(
        "fontFamily is not a built-in Pictory font: pick one such as Montserrat, Poppins,"
        " Roboto, Lato or DM Sans, or give fontUrl for a custom font"
    )
