"""Tools that create videos from a script or a full storyboard, and render a preview."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field, WithJsonSchema

from pictory_mcp.errors import InputError, NotFoundError, StoreError
from pictory_mcp.server import spending
from pictory_mcp.server.estimates import Length
from pictory_mcp.server.failures import UnknownJobError
from pictory_mcp.server.jobview import build_view, job_data
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.phrasing import RENDER_TIME
from pictory_mcp.server.state import AppState
from pictory_mcp.server.submitted import submitted_view
from pictory_mcp.server.tools import sources
from pictory_mcp.server.tools._arguments import (
    AspectArg,
    LanguageArg,
    MusicArg,
    PreviewArg,
    TextOptionsArg,
    VoiceArg,
)
from pictory_mcp.server.tools._assembly import apply_options
from pictory_mcp.server.tools._base import ToolSpec, app_state, read_record
from pictory_mcp.server.tools._lookups import check_connection, resolve_speaker
from pictory_mcp.server.tools._options import (
    DEFAULT_ASPECT_RATIO,
    DEFAULT_LANGUAGE,
    DEFAULT_MUSIC_VOLUME,
    SharedOptions,
    VideoOptions,
    check_language,
)
from pictory_mcp.server.tools._submit import (
    JOB_ID,
    check_layout,
    has_words,
    resend,
    submit,
    validate_storyboard,
    video_name_from,
)
from pictory_mcp.server.tools.previews import preview_seconds, scenes_of
from pictory_mcp.server.uris import STORYBOARD_SCHEMA_URI
from pictory_mcp.server.voice_names import check_speaks

SceneSplit = Literal["sentence", "line", "paragraph"]
MAX_STORY = 15_000
TEXT_ARGUMENTS = frozenset(
    {"script", "voice", "aspect_ratio", "language", "scenes", "music_volume", "preview"}
)
"""create_video_from_text's top-level arguments: refusals name these options without a path."""


def _scenes(script: str, split: SceneSplit) -> list[dict[str, Any]]:
    if split == "sentence":
        return [{"story": script, "createSceneOnEndOfSentence": True}]
    if split == "line":
        return [{"story": script, "createSceneOnNewLine": True}]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", script) if p.strip()]
    return [{"story": p} for p in paragraphs]


async def create_video_from_text(
    ctx: Context,
    script: Annotated[str, Field(min_length=1, max_length=MAX_STORY, description="Narration text")],
    voice: VoiceArg = None,
    aspect_ratio: AspectArg = DEFAULT_ASPECT_RATIO,
    language: LanguageArg = DEFAULT_LANGUAGE,
    scenes: Annotated[
        SceneSplit, Field(description="Per sentence, line, or blank-line paragraph")
    ] = "sentence",
    music_volume: MusicArg = DEFAULT_MUSIC_VOLUME,
    preview: PreviewArg = False,
    options: TextOptionsArg = None,
) -> JobView:
    """Script → narrated video with stock visuals. Spends credits (no cancel) unless preview=true."""
    state = app_state(ctx)
    script = script.strip()
    if not has_words(script):
        raise InputError(
            "script is empty (no words, only spaces, punctuation or invisible characters): "
            "give the narration text for the video."
        )
    # The server moves voice, aspect_ratio, language and music_volume given in options to the
    # top level (server/option_paths.py), so `options` never holds them here.
    more = options or SharedOptions()
    opts = VideoOptions(
        voice=voice,
        aspect_ratio=aspect_ratio,
        language=check_language(language),
        music_volume=music_volume,
        subtitle_style=more.subtitle_style,
        brand=more.brand,
        extras=more.extras,
        top_level=TEXT_ARGUMENTS,
    )
    applied = await apply_options(state, opts)
    payload = {
        "videoName": video_name_from(script, more.video_name),
        **applied.payload,
        "scenes": _scenes(script, scenes),
    }
    summary = {
        "video_name": payload["videoName"],
        **applied.summary,
        "scenes": scenes,
        "script_chars": len(script),
        "preview": preview,
    }
    payload = validate_storyboard(payload, TEXT_ARGUMENTS)
    return await submit(
        state,
        payload,
        preview=preview,
        summary=summary,
        top_level=TEXT_ARGUMENTS,
        notes=applied.notes,
    )


def _speakers(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path, aiVoice) for every AI voice of the storyboard, top level and per scene."""
    found: list[tuple[str, dict[str, Any]]] = []
    owners = [("voiceOver", body.get("voiceOver"))] + [
        (f"scenes[{i}].voiceOver", s.get("voiceOver"))
        for i, s in enumerate(body.get("scenes") or [])
    ]
    for where, voice_over in owners:
        for j, voice in enumerate((voice_over or {}).get("aiVoices") or []):
            found.append((f"{where}.aiVoices[{j}]", voice))
    return found


async def _check_storyboard_voices(state: AppState, body: dict[str, Any]) -> list[str]:
    speakers = _speakers(body)
    if not speakers:
        return []
    catalog = await state.voice_catalog()
    names: list[str] = []
    for where, entry in speakers:
        try:
            voice = resolve_speaker(catalog, str(entry["speaker"]))
        except InputError as exc:
            raise InputError(f"{where}.speaker: {exc}") from None
        if entry.get("premiumVoiceSettings") and str(voice.service or "") != "elevenlabs":
            raise InputError(
                f"{where}.premiumVoiceSettings works only with elevenlabs voices; "
                f"'{voice.name}' is {voice.service}. Remove it or pick an elevenlabs voice."
            )
        if str(voice.name).casefold() == str(entry["speaker"]).casefold():
            entry["speaker"] = voice.name  # the catalogue's spelling, whatever case was given
        if body.get("language"):
            try:
                check_speaks(catalog, [voice], str(body["language"]))
            except InputError as exc:
                raise InputError(f"{where}.speaker: {exc}") from None
        names.append(str(voice.name))
    return names


async def create_video_from_storyboard(
    ctx: Context,
    storyboard: Annotated[
        dict[str, Any],
        WithJsonSchema(
            {
                "type": "object",
                "description": f"Full Pictory storyboard; schema: {STORYBOARD_SCHEMA_URI}",
            }
        ),
    ],
    preview: PreviewArg = False,
) -> JobView:
    """Submit a full Pictory storyboard (schema: pictory://schema/storyboard), validated first. Spends credits (no cancel) unless preview=true."""
    state = app_state(ctx)
    payload = validate_storyboard(storyboard)
    notes, layout = await check_layout(payload, preview=preview)
    voices = await _check_storyboard_voices(state, payload)
    if payload.get("awsConnectionId"):
        await check_connection(state, "aws", str(payload["awsConnectionId"]), "awsConnectionId")
    if payload.get("vimeoConnectionId"):
        vimeo = str(payload["vimeoConnectionId"])
        await check_connection(state, "vimeo", vimeo, "vimeoConnectionId")
    summary: dict[str, Any] = {
        "video_name": payload["videoName"],
        "scenes": len(payload.get("scenes") or []),
        "voices": sorted(set(voices)),
        "template_id": payload.get("templateId"),
        "preview": preview,
    }
    summary = {k: v for k, v in summary.items() if v not in (None, [])}
    view = await submit(state, payload, preview=preview, summary=summary, notes=notes)
    view.detail(layout=layout)
    return view


async def _preview_name(state: AppState, job_id: str) -> str | None:
    """The preview's video name from the job history (Pictory's job answers carry none), so the
    render and its downloaded file keep it; None for a preview this history never saw."""
    try:
        record = await read_record(state, job_id)
    except StoreError:
        return None  # the submission itself says what is wrong with the history
    return record.video_name if record else None


async def render_preview(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
) -> JobView:
    """Render a completed preview into the final video. Spends credits (no cancel)."""
    state = app_state(ctx)
    client = state.require_client()
    try:
        data = job_data(await client.get_job(job_id))
    except NotFoundError:
        raise UnknownJobError(job_id, wanted="the job_id of a preview=true call") from None
    current = build_view(job_id, data, kind="preview", poll_interval=0)
    if current.status == "in-progress":
        raise InputError(
            f"Preview {job_id} is in-progress, not completed. Call wait_for_job(job_id) until "
            f"it completes ({RENDER_TIME}), then render_preview."
        )
    if current.status != "completed":
        raise InputError(
            f"Preview {job_id} is {current.status}, not completed. {current.next_step}"
        )
    if data.get("renderParams") is None:
        rendered = f" Its video: {current.video_url}." if current.video_url else ""
        raise InputError(
            f"Job {job_id} is already a rendered video, not a preview, so there is nothing to "
            f"render.{rendered} To change it, make a new video with preview=true."
        )
    name = await _preview_name(state, job_id)
    summary = {"video_name": name, "from_preview": job_id} if name else {"from_preview": job_id}
    seconds = preview_seconds(scenes_of(data.get("renderParams")))
    length = Length.of_seconds(seconds) if seconds else Length(None, "the preview has no timings")
    approval = await spending.approve(
        state,
        spending.Spend(
            length,
            video_name=name,
            shorter="Shorten the preview's text first (update_preview_scene)",
        ),
    )
    done = await state.submitter.submit(
        kind="render",
        payload={"previewJobId": job_id},
        summary=summary,
        send=resend(client, "render", {"previewJobId": job_id}),
        video_name=name,
        notes=approval.notes,
        spend=approval.claim,
    )
    view = submitted_view(state, done, "render", summary, notes=approval.notes)
    view.detail(spend=approval.detail)
    return view


TOOLS = [
    ToolSpec(create_video_from_text, "Create video from text", read_only=False),
    *sources.TOOLS,
    ToolSpec(create_video_from_storyboard, "Create video from storyboard", read_only=False),
    ToolSpec(render_preview, "Render a preview", read_only=False),
]
