"""The tools only the inline views (MCP Apps) call: the player's state of a job, refreshed no
faster than the poll interval, and a preview's whole storyboard for the editor. A host that
shows views lists them to the view, never to the model; other clients are not offered them."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context
from pydantic import Field, ValidationError

from pictory_mcp import api
from pictory_mcp.errors import PictoryMCPError
from pictory_mcp.server.bounds import answer_at_bound, remaining
from pictory_mcp.server.outputs import JobError, JobView, PlayerState, Storyboard
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import ToolSpec, app_state, read_record
from pictory_mcp.server.tools._filekinds import recognise
from pictory_mcp.server.tools._submit import JOB_ID
from pictory_mcp.server.tools.jobs import last_polled, late_view, poll_once, stored_view
from pictory_mcp.server.tools.previews import compact, completed_preview, preview_seconds, scenes_of
from pictory_mcp.server.uris import PLAYER_VIEW, STORYBOARD_VIEW

logger = logging.getLogger("pictory_mcp.server")

RUNNING = ("submitting", "submitted", "in-progress")
# Subtitles travel inside the answer; a longer file is not played (the video still is).
MAX_VTT_BYTES = 512 * 1024
VTT_SECONDS = 10.0


async def _current(state: AppState, job_id: str) -> JobView:
    """The job now: a finished job from the history, a running one from Pictory at most once
    per poll interval (sooner, the recorded state)."""
    stored = await stored_view(state, job_id)
    if stored is not None and stored.status not in RUNNING:
        return stored
    last = last_polled(state, job_id)
    recent = last is not None and anyio.current_time() - last < state.settings.poll_interval
    if stored is not None and recent:
        return stored
    return await poll_once(state, job_id, fresh_ok=True)


async def _vtt_text(state: AppState, url: str) -> str | None:
    """The WebVTT subtitles at `url`, fetched like any download (allowed hosts, bounded); None
    when they cannot be had, since the video plays without them."""
    limits = api.DownloadLimits(
        timeout=max(0.001, min(VTT_SECONDS, remaining())), max_bytes=MAX_VTT_BYTES
    )
    with tempfile.TemporaryDirectory(prefix="pictory-vtt-") as folder:
        target = Path(folder) / "subtitles.vtt"
        try:
            got = await state.require_client().download(url, target, limits=limits)
            data = await anyio.Path(target).read_bytes()
        except (PictoryMCPError, OSError) as exc:
            logger.info("subtitles for the player not fetched: %s", exc)
            return None
    if recognise("vtt", data, got.content_type, whole=True) is None:
        logger.info("subtitles for the player are not WebVTT; left out")
        return None
    return data.decode("utf-8-sig")


def _error(view: JobView) -> JobError | None:
    """A failed job's error: from the poll, or as the history recorded it (in `details`)."""
    recorded = (view.details or {}).get("error")
    if view.error is not None or not isinstance(recorded, dict):
        return view.error
    try:
        return JobError.model_validate(recorded)
    except ValidationError:
        return None


async def _player(state: AppState, job_id: str, view: JobView) -> PlayerState:
    details = view.details or {}
    record = await read_record(state, view.job_id)
    subtitles = details.get("subtitles") or {}
    vtt = subtitles.get("vtt") if isinstance(subtitles, dict) else None
    finished_video = view.status == "completed" and view.video_url
    step = details.get("step")
    return PlayerState(
        job_id=job_id,
        status=view.status,
        kind=view.kind,
        name=record.video_name if record else None,
        progress=view.progress,
        message=details.get("message") or (f"step: {step}" if step else None),
        video_url=view.video_url,
        thumbnail_url=details.get("thumbnail_url"),
        share_url=details.get("share_url"),
        duration_seconds=details.get("duration_seconds"),
        subtitles_vtt=await _vtt_text(state, vtt) if finished_video and vtt else None,
        error=_error(view),
        refresh_seconds=state.settings.poll_interval if view.status in RUNNING else None,
        next_step=view.next_step,
    )


async def get_player_state(
    ctx: Context, job_id: Annotated[str, Field(pattern=JOB_ID)]
) -> PlayerState:
    """The player view's state of a job: progress while it runs (asks Pictory at most once per
    poll interval), then the video, poster, subtitles, name and length, or the error and fix."""
    state = app_state(ctx)

    async def recorded() -> PlayerState:
        return await _player(state, job_id, await late_view(state, job_id))

    answer_at_bound(recorded)
    with anyio.move_on_after(remaining()):
        return await _player(state, job_id, await _current(state, job_id))
    return await recorded()


def _output(data: dict[str, Any]) -> dict[str, Any]:
    params = data.get("renderParams")
    output = params.get("output") if isinstance(params, dict) else None
    return output if isinstance(output, dict) else {}


async def get_storyboard(ctx: Context, job_id: Annotated[str, Field(pattern=JOB_ID)]) -> Storyboard:
    """The storyboard view's whole preview: every scene's full text, visual and timing."""
    state = app_state(ctx)
    data = await completed_preview(state, job_id, "open the storyboard again")
    scenes = scenes_of(data["renderParams"])
    output = _output(data)
    name = output.get("title") or output.get("name")
    width, height = output.get("width"), output.get("height")
    url = data.get("preview")
    editable = not state.settings.read_only
    return Storyboard(
        job_id=job_id,
        name=name if isinstance(name, str) else None,
        width=width if isinstance(width, int) else None,
        height=height if isinstance(height, int) else None,
        preview_url=url if isinstance(url, str) and url else None,
        total_seconds=preview_seconds(scenes),
        scenes=[compact(n, parts, shown=None) for n, parts in scenes.items()],
        editable=editable,
        next_step=(
            "Edit a scene's text or visual, then render (spends credits)."
            if editable
            else "This server is read-only: the storyboard can be viewed, not edited."
        ),
    )


TOOLS = [
    ToolSpec(
        get_player_state,
        "Player state",
        read_only=True,
        idempotent=True,
        view=PLAYER_VIEW,
        view_only=True,
    ),
    ToolSpec(
        get_storyboard,
        "Storyboard",
        read_only=True,
        idempotent=True,
        view=STORYBOARD_VIEW,
        view_only=True,
    ),
]
