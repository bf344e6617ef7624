"""Workflow tools: a short highlight clip from a long video or audio, run by the server as one job."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context
from pydantic import Field, WithJsonSchema

from pictory_mcp.errors import InputError
from pictory_mcp.facts import VIDEO_NAME_MAX, AspectRatio, AudioLanguage, clean_video_name
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.tools._submit import MAX_URL, check_url
from pictory_mcp.server.workflow_engine import HighlightsPlan, engine_of

_AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a")


def _video_name(media_path: str, given: str | None) -> str:
    """The given name, else one from the media's file name, as a videoName Pictory accepts."""
    stem = media_path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    source = given if given and given.strip() else f"Highlights {stem}"
    return clean_video_name(source) or "Highlights"


async def create_video_highlights(
    ctx: Context,
    media_url: Annotated[
        str, Field(min_length=1, max_length=MAX_URL, description="Public https URL")
    ],
    duration_seconds: Annotated[int, Field(ge=10, le=600, description="Clip length")] = 60,
    language: Annotated[
        AudioLanguage,
        # The 22 locales as a pattern: a wrong value's error still lists them all.
        WithJsonSchema(
            {
                "type": "string",
                "pattern": "^[a-z]{2}-[A-Z]{2}$",
                "description": "e.g. en-GB",
            }
        ),
    ] = "en-US",
    aspect_ratio: AspectRatio = "16:9",
    video_name: Annotated[str | None, Field(max_length=VIDEO_NAME_MAX)] = None,
) -> JobView:
    """Long video/audio URL → short highlight clip (transcribe, pick, render) as one job. Spends credits (no cancel)."""
    state = app_state(ctx)
    url = check_url(media_url, "media_url", https_only=True)
    state.require_client()
    path = urlsplit(url).path.lower()
    media_type = "audio" if path.endswith(_AUDIO_SUFFIXES) else "video"
    name = _video_name(path, video_name)
    plan = HighlightsPlan(
        media_url=url,
        media_type=media_type,
        duration_seconds=duration_seconds,
        language=language,
        aspect_ratio=aspect_ratio,
        video_name=name,
    )
    summary = {
        "media_url": url,
        "duration_seconds": duration_seconds,
        "language": language,
        "aspect_ratio": aspect_ratio,
        "video_name": name,
    }
    view = await engine_of(state).start(plan, summary)
    if view.status == "failed" and view.error is not None:
        raise InputError(f"{view.error.message} {view.error.fix} (workflow {view.job_id})")
    return view


TOOLS = [
    ToolSpec(create_video_highlights, "Create video highlights", read_only=False),
]
