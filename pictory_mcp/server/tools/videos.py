"""Tools that create videos: text to video (preview or direct render) and render a preview."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field, ValidationError

from pictory_mcp.errors import InputError
from pictory_mcp.server.failures import tool_errors
from pictory_mcp.server.jobview import build_view, job_data
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import ToolSpec, app_state, in_thread
from pictory_mcp.server.voices import default_voice, find_voice

AspectRatio = Literal["16:9", "9:16", "1:1", "4:5"]
Language = Literal[
    "en", "ar", "zh", "nl", "fr", "de", "hi", "id", "it", "ja",
    "ko", "mr", "pl", "pt", "ru", "es", "ta", "tr", "ur", "vi",
]  # fmt: skip
SceneSplit = Literal["sentence", "line", "paragraph"]
MAX_STORY = 15_000
JOB_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9 _-]+")


def video_name_from(script: str, given: str | None) -> str:
    """Pictory accepts letters, digits, spaces, '_' and '-' (at most 150) in videoName."""
    source = given if given and given.strip() else " ".join(script.split()[:8])
    name = " ".join(_UNSAFE_NAME.sub(" ", source).split())[:150].strip()
    return name or "Untitled video"


def _scenes(script: str, split: SceneSplit) -> list[dict[str, Any]]:
    if split == "sentence":
        return [{"story": script, "createSceneOnEndOfSentence": True}]
    if split == "line":
        return [{"story": script, "createSceneOnNewLine": True}]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", script) if p.strip()]
    return [{"story": p} for p in paragraphs]


async def _match_named(
    state: AppState, kind: str, wanted: str, fetch: Any, arg: str, list_hint: str
) -> Any:
    """Find a brand / text style by exact id or case-insensitive name, or explain the choices."""
    items = await state.lookup(kind, fetch)
    for item in items:
        if str(getattr(item, "id", "")) == wanted:
            return item
    for item in items:
        if str(getattr(item, "name", "")).lower() == wanted.strip().lower():
            return item
    names = [str(getattr(i, "name", "")) for i in items][:10]
    choices = ", ".join(f"'{n}'" for n in names) or "none on this account"
    raise InputError(f"Unknown {arg} '{wanted}'. Choose one of: {choices}{list_hint}.")


def validate_storyboard(payload: dict[str, Any]) -> dict[str, Any]:
    """Validate with the storyboard models; say which value to change on failure."""
    from pictory_mcp.api.models import Storyboard

    try:
        return Storyboard.model_validate(payload).to_payload()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'storyboard'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        raise InputError(f"The storyboard is not valid: {problems}.") from None


async def submit(
    state: AppState, payload: dict[str, Any], *, kind: str, preview: bool, summary: dict[str, Any]
) -> JobView:
    """Submit once, record the job before answering, and say what to do next."""
    client = state.require_client()
    started = await (
        client.create_storyboard_preview(payload) if preview else client.render_storyboard(payload)
    )
    job_id = started.job_id
    await in_thread(state.store.record_submission, job_id, kind, payload, summary)
    view = build_view(
        job_id, {"status": "in-progress"}, kind=kind, poll_interval=state.settings.poll_interval
    )
    view.detail(submitted=summary)
    return view


@tool_errors
async def create_video_from_text(
    ctx: Context,
    script: Annotated[str, Field(min_length=1, max_length=MAX_STORY, description="Narration text")],
    voice: Annotated[
        str | None,
        Field(
            max_length=100,
            description="Exact name from list_voices; default: the language's default",
        ),
    ] = None,
    aspect_ratio: AspectRatio = "16:9",
    language: Language = "en",
    video_name: Annotated[str | None, Field(max_length=150)] = None,
    scenes: Annotated[
        SceneSplit, Field(description="Scene per sentence, per line, or per blank-line paragraph")
    ] = "sentence",
    music_volume: Annotated[
        float, Field(ge=0, le=1, description="Auto background music; 0 = none")
    ] = 0.1,
    subtitle_style: Annotated[
        str | None, Field(max_length=100, description="Text style name or id")
    ] = None,
    brand: Annotated[str | None, Field(max_length=100, description="Brand name or id")] = None,
    preview: Annotated[
        bool, Field(description="Make a storyboard preview first (render later)")
    ] = False,
) -> JobView:
    """Turn a script into a narrated video with stock visuals. Spends render credits unless preview=true. Returns job_id; follow with check_job."""
    state = app_state(ctx)
    script = script.strip()
    if not script:
        raise InputError("script is empty: give the narration text for the video.")
    catalog = await state.voice_catalog()
    chosen = find_voice(catalog, voice) if voice else default_voice(catalog, language)
    payload: dict[str, Any] = {
        "videoName": video_name_from(script, video_name),
        "aspectRatio": aspect_ratio,
        "language": language,
        "voiceOver": {"enabled": True, "aiVoices": [{"speaker": chosen.name}]},
        # Pictory plays music at full volume when volume is left out: always send it.
        "backgroundMusic": (
            {"enabled": True, "autoMusic": True, "volume": music_volume}
            if music_volume > 0
            else {"enabled": False}
        ),
        "scenes": _scenes(script, scenes),
    }
    summary: dict[str, Any] = {
        "video_name": payload["videoName"],
        "voice": chosen.name,
        "aspect_ratio": aspect_ratio,
        "language": language,
        "scenes": scenes,
        "music_volume": music_volume,
        "script_chars": len(script),
        "preview": preview,
    }
    client = state.require_client()
    if subtitle_style:
        style = await _match_named(
            state, "text_styles", subtitle_style, client.list_text_styles, "subtitle_style", ""
        )
        payload["subtitleStyleId"] = str(style.id)
        summary["subtitle_style"] = style.name
    if brand:
        found = await _match_named(state, "brands", brand, client.list_brands, "brand", "")
        payload["brandId"] = str(found.id)
        summary["brand"] = found.name
    payload = validate_storyboard(payload)
    return await submit(
        state, payload, kind="preview" if preview else "render", preview=preview, summary=summary
    )


@tool_errors
async def render_preview(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID, description="A completed preview's job_id")],
) -> JobView:
    """Render the final video from a completed storyboard preview. Spends render credits. Returns the render's job_id."""
    state = app_state(ctx)
    client = state.require_client()
    current = build_view(
        job_id, job_data(await client.get_job(job_id)), kind="preview", poll_interval=0
    )
    if current.status != "completed":
        raise InputError(
            f"Preview {job_id} is {current.status}, not completed. "
            + (
                "Call check_job until it completes, then render_preview."
                if current.status == "in-progress"
                else current.next_step
            )
        )
    started = await client.render_from_preview(job_id)
    summary = {"from_preview": job_id}
    await in_thread(
        state.store.record_submission, started.job_id, "render", {"previewJobId": job_id}, summary
    )
    view = build_view(
        started.job_id,
        {"status": "in-progress"},
        kind="render",
        poll_interval=state.settings.poll_interval,
    )
    view.detail(submitted=summary)
    return view


TOOLS = [
    ToolSpec(create_video_from_text, "Create video from text", read_only=False),
    ToolSpec(render_preview, "Render a preview", read_only=False),
]
