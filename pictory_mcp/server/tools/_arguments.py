"""The argument types of the create_* tools, declared once: each is what an agent sees in
`tools/list` (type, bounds, a few words), so their wording is kept short."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, WithJsonSchema

from pictory_mcp.facts import MUSIC_VOLUME_MAX, MUSIC_VOLUME_MIN, AspectRatio
from pictory_mcp.server.tools._options import SharedOptions
from pictory_mcp.server.tools._submit import MAX_URL
from pictory_mcp.server.uris import EXTRAS_SCHEMA_URI

VoiceArg = Annotated[
    str | None,
    Field(
        max_length=500,
        description="From list_voices (default: the language's narrator); several "
        "(comma-separated) rotate by scene",
    ),
]
AspectArg = AspectRatio
LanguageArg = Annotated[str, Field(max_length=10, description="e.g. es or es-ES")]
MusicArg = Annotated[
    float, Field(ge=MUSIC_VOLUME_MIN, le=MUSIC_VOLUME_MAX, description="0 = no music")
]
PreviewArg = bool  # the tool descriptions say what preview=true does
UrlArg = Annotated[str, Field(max_length=MAX_URL, description="Public http(s) URL")]

# Sent to the agent instead of the generated schema: the same keys in a tenth of the bytes.
EXTRAS_DESCRIPTION = (
    f"extras (voice_speed, music_url, subtitle_custom, logo_*, vimeo_*, ...: {EXTRAS_SCHEMA_URI})"
)

OptionsArg = Annotated[
    SharedOptions | None,
    WithJsonSchema(
        {
            "type": "object",
            "description": "create_video_from_text's options (voice, aspect_ratio, language, "
            "...); any also top-level or in extras",
        }
    ),
]

TextOptionsArg = Annotated[
    SharedOptions | None,
    WithJsonSchema(
        {
            "type": "object",
            "description": "video_name, subtitle_style, brand, "
            + EXTRAS_DESCRIPTION
            + "; any also top-level or in options",
        }
    ),
]
