"""Workflow tools: a short highlight clip from a long video or audio, run by the server as one job."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.errors import InputError
from pictory_mcp.facts import (
    AUDIO_LANGUAGES,
    VIDEO_NAME_MAX,
    AspectRatio,
    audio_language,
    clean_video_name,
    language_parts,
)
from pictory_mcp.server import spending
from pictory_mcp.server.estimates import Length
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.phrasing import one_of
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.tools._submit import MAX_URL, check_url
from pictory_mcp.server.workflow_engine import HighlightsPlan, engine_of

_AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a")


def _video_name(media_path: str, given: str | None) -> str:
    """The given name, else one from the media's file name, as a videoName Pictory accepts."""
    stem = media_path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    source = given if given and given.strip() else f"Highlights {stem}"
    return clean_video_name(source) or "Highlights"


def _checked_language(language: str) -> str:
    """The transcription locale for 'es', 'es-ES' or 'es_es' (any case), else a refusal that
    offers the locales of the same language, or all of them."""
    locale = audio_language(language)
    if locale is not None:
        return locale
    primary, _ = language_parts(language)
    near = [loc for loc in AUDIO_LANGUAGES if loc.startswith(f"{primary}-")]
    choices = (
        one_of([primary, *near])
        if near
        else f"a code such as 'es' or 'es-ES', one of {', '.join(AUDIO_LANGUAGES)}"
    )
    raise InputError(f"language '{language}' is not one Pictory transcribes; use {choices}.")


async def create_video_highlights(
    ctx: Context,
    media_url: Annotated[
        str, Field(min_length=1, max_length=MAX_URL, description="Public https URL")
    ],
    duration_seconds: Annotated[int, Field(ge=10, le=600, description="Clip length")] = 60,
    language: Annotated[str, Field(max_length=10, description="e.g. es or es-ES")] = "en",
    aspect_ratio: AspectRatio = "16:9",
    video_name: Annotated[str | None, Field(max_length=VIDEO_NAME_MAX)] = None,
) -> JobView:
    """Long video/audio URL → short highlight clip (transcribe, pick, render) as one job. Spends credits (no cancel)."""
    state = app_state(ctx)
    language = _checked_language(language)
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
    approval = await spending.approve(
        state,
        spending.Spend(
            Length.of_seconds(duration_seconds),
            video_name=name,
            aspect_ratio=aspect_ratio,
            shorter="Ask for a shorter clip (duration_seconds)",
        ),
    )
    with spending.claiming(state, approval.claim):
        view = await engine_of(state).start(plan, summary, spend=approval.claim)
    view.detail(spend=approval.detail)
    if approval.notes:
        view.next_step = " ".join([*approval.notes, view.next_step])
    if view.status == "failed" and view.error is not None:
        raise InputError(f"{view.error.message} {view.error.fix} (workflow {view.job_id})")
    return view


TOOLS = [
    ToolSpec(create_video_highlights, "Create video highlights", read_only=False),
]
