"""Voice catalogue tool: compact, filtered, paged."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.server.outputs import VoiceItem, VoiceList
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.voice_names import matches


async def list_voices(
    ctx: Context,
    language: Annotated[str | None, Field(max_length=10, description="e.g. en or en-GB")] = None,
    gender: Literal["female", "male"] | None = None,
    service: Literal["aws", "google", "elevenlabs"] | None = None,
    query: Annotated[
        str | None, Field(max_length=50, description="In name or accent, e.g. British")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=100)] = 20,
    offset: Annotated[int, Field(ge=0)] = 0,
    include_samples: bool = False,
) -> VoiceList:
    """List AI narrator voices, filtered; use a voice's name in create_* tools."""
    state = app_state(ctx)
    found = [
        v for v in await state.voice_catalog()
        if matches(v, language=language, gender=gender, service=service, query=query)
    ]  # fmt: skip
    page = found[offset : offset + limit]
    voices = [
        VoiceItem(
            name=v.name,
            language=v.language,
            accent=v.accent,
            gender=v.gender,
            service=v.service,
            engine=v.engine,
            sample_url=v.sample if include_samples else None,
        )
        for v in page
    ]
    more = offset + limit < len(found)
    return VoiceList(voices=voices, total=len(found), next_offset=offset + limit if more else None)


TOOLS = [
    ToolSpec(list_voices, "List voices", read_only=True, idempotent=True),
]
