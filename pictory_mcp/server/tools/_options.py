"""The options every create_* tool shares, as values: the `options` and `extras` models an agent
fills in, and `VideoOptions`, the one value the payload assembly (`_assembly.py`) reads."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from pictory_mcp.errors import InputError
from pictory_mcp.facts import (
    AMPLIFICATION_MAX,
    AMPLIFICATION_MIN,
    FONTS,
    LANGUAGES,
    MUSIC_VOLUME_MAX,
    MUSIC_VOLUME_MIN,
    VIDEO_NAME_MAX,
    VOICE_SPEED_MAX,
    VOICE_SPEED_MIN,
    AspectRatio,
    Decoration,
    ElevenLabsModel,
    GridPosition,
    TextCase,
    VimeoPrivacy,
    script_language,
)
from pictory_mcp.server.tools._submit import MAX_URL

DEFAULT_ASPECT_RATIO: AspectRatio = "16:9"
DEFAULT_LANGUAGE = "en"
DEFAULT_MUSIC_VOLUME = 0.1
"""Text-to-video's defaults; music is always sent, since Pictory plays it at full volume
otherwise."""

NameOrId = Annotated[str | None, Field(max_length=100, description="Name or id")]


class PremiumVoice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: ElevenLabsModel | None = None
    stability: int | None = Field(None, ge=0, le=100, description="Percent")
    similarity: int | None = Field(None, ge=0, le=100, description="Percent")
    style: int | None = Field(None, ge=0, le=100, description="Percent")
    speaker_boost: bool | None = None


_FONTS_FOLDED = {name.casefold(): name for name in FONTS}


def _font(value: str) -> str:
    """A built-in font in its listed spelling, whatever the case it was given in."""
    found = _FONTS_FOLDED.get(value.strip().casefold())
    if found is None:
        raise ValueError(
            f"'{value[:60]}' is not a built-in font; use one listed in pictory://schema/extras, "
            "e.g. Montserrat, Poppins or Roboto"
        )
    return found


Font = Annotated[
    str,
    AfterValidator(_font),
    WithJsonSchema({"type": "string", "enum": sorted(FONTS)}),
]
COLOR_HELP = "rgb(), rgba() or #hex"


class SubtitleCustom(BaseModel):
    model_config = ConfigDict(extra="forbid")
    font: Font | None = Field(None, description="Built-in font (any case)")
    size: int | None = Field(None, ge=1, le=500, description="Canvas pixels")
    color: str | None = Field(None, max_length=40, description=COLOR_HELP)
    background_color: str | None = Field(
        None, max_length=40, description=f"{COLOR_HELP}; rgba(0,0,0,0) removes the strip"
    )
    keyword_color: str | None = Field(None, max_length=40, description="Highlighted words")
    decorations: list[Decoration] | None = Field(None, max_length=4, description="E.g. [bold]")
    case: TextCase | None = None
    alignment: Literal["left", "center", "right"] | None = None
    position: GridPosition | None = None


class VideoExtras(BaseModel):
    """Advanced options of the create_video_* tools (all optional)."""

    model_config = ConfigDict(extra="forbid")
    voice_speed: int | None = Field(
        None, ge=VOICE_SPEED_MIN, le=VOICE_SPEED_MAX, description="Percent, default 100"
    )
    voice_volume: float | None = Field(
        None, ge=AMPLIFICATION_MIN, le=AMPLIFICATION_MAX, description="Amplification, default 0"
    )
    premium_voice: PremiumVoice | None = Field(None, description="ElevenLabs voices only")
    music_url: str | None = Field(
        None, max_length=MAX_URL, description="A track's music_url from search_library"
    )
    subtitle_custom: SubtitleCustom | None = Field(None, description="Not with subtitle_style")
    logo_url: str | None = Field(None, max_length=MAX_URL, description="Public image URL")
    logo_position: GridPosition | None = None
    logo_width: int | None = Field(None, ge=1, le=100, description="Percent of the width")
    smart_layout: str | None = Field(None, max_length=100, description="Name or id")
    vimeo_connection_id: str | None = Field(None, max_length=100, description="Upload to Vimeo")
    vimeo_folder_uri: str | None = Field(None, max_length=300, description='E.g. "/videos/123"')
    vimeo_privacy: VimeoPrivacy | None = None
    aws_connection_id: str | None = Field(
        None, max_length=100, description="Lets Pictory read private S3 media"
    )


def extras_json_schema() -> dict[str, Any]:
    return VideoExtras.model_json_schema()


@dataclass
class VideoOptions:
    """The shared options as one value; None means 'leave Pictory's / the template's own'."""

    voice: str | None = None
    aspect_ratio: str | None = DEFAULT_ASPECT_RATIO
    language: str | None = DEFAULT_LANGUAGE
    music_volume: float | None = DEFAULT_MUSIC_VOLUME
    subtitle_style: str | None = None
    brand: str | None = None
    extras: VideoExtras | None = None
    default_voice: bool = True
    top_level: frozenset[str] = frozenset()
    """The tool's own top-level argument names, so refusals name the path the tool takes."""

    def path(self, name: str) -> str:
        return option_path(name, self.top_level)


class SharedOptions(BaseModel):
    """create_video_from_text's options, as one object for the other create_* tools."""

    model_config = ConfigDict(extra="forbid")

    voice: Annotated[str | None, Field(max_length=500)] = None
    aspect_ratio: AspectRatio | None = None
    language: Annotated[str | None, Field(max_length=10)] = None
    video_name: Annotated[str | None, Field(max_length=VIDEO_NAME_MAX)] = None
    music_volume: Annotated[float | None, Field(ge=MUSIC_VOLUME_MIN, le=MUSIC_VOLUME_MAX)] = None
    subtitle_style: NameOrId = None
    brand: NameOrId = None
    extras: VideoExtras | None = None

    def to_video_options(self, *, keep_template: bool = False) -> VideoOptions:
        """Unset values take text-to-video's defaults, or stay unset to keep a template's own."""
        if keep_template:
            return VideoOptions(
                voice=self.voice,
                aspect_ratio=self.aspect_ratio,
                language=self.language,
                music_volume=self.music_volume,
                subtitle_style=self.subtitle_style,
                brand=self.brand,
                extras=self.extras,
                default_voice=False,
            )
        return VideoOptions(
            voice=self.voice,
            aspect_ratio=self.aspect_ratio or DEFAULT_ASPECT_RATIO,
            language=check_language(self.language or DEFAULT_LANGUAGE),
            music_volume=DEFAULT_MUSIC_VOLUME if self.music_volume is None else self.music_volume,
            subtitle_style=self.subtitle_style,
            brand=self.brand,
            extras=self.extras,
        )


# Every option name, in the object it belongs to; the server accepts each name top-level, in
# `options` or in `options.extras`, and moves it to its own place (`server/option_paths.py`).
SHARED_OPTION_KEYS = frozenset(SharedOptions.model_fields) - {"extras"}
EXTRAS_KEYS = frozenset(VideoExtras.model_fields)


def option_path(name: str, top_level: Collection[str] = ()) -> str:
    """Where option `name` belongs in a create tool's arguments: a top-level argument of the
    tool (`top_level`), `options.<name>`, or `options.extras.<name>`."""
    if name in top_level:
        return name
    if name in SHARED_OPTION_KEYS:
        return f"options.{name}"
    if name in EXTRAS_KEYS:
        return f"options.extras.{name}"
    return name


def check_language(language: str) -> str:
    """The script language code Pictory wants ('es') for 'es', 'es-ES' or 'es_es' in any
    case; else a refusal listing the codes."""
    code = script_language(language)
    if code is None:
        raise InputError(
            f"language '{language}' is not a script language Pictory supports; use a code "
            f"such as 'es' or 'es-ES', one of {', '.join(LANGUAGES)}."
        )
    return code
