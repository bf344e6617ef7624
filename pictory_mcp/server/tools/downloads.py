"""Delivery: save a finished job's files into the output directory, within a deadline and a
size limit, from allowed hosts only, reporting progress while the bytes arrive."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ResourceLink
from pydantic import Field

from pictory_mcp import api
from pictory_mcp.errors import DownloadError, DownloadReason, InputError
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import ToolSpec, app_state, in_thread, read_record
from pictory_mcp.server.tools._delivery import Saved, SaveFailed, Wanted, save_files
from pictory_mcp.server.tools._download_failures import disk_failure, download_failure
from pictory_mcp.server.tools._submit import JOB_ID
from pictory_mcp.server.tools.jobs import poll_once, stored_view
from pictory_mcp.server.uris import PLAYER_VIEW
from pictory_mcp.server.workflow_engine import is_workflow_id

Extra = Literal["thumbnail", "srt", "vtt", "txt"]
_MB = 1024 * 1024


async def download_video(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
    include: Annotated[list[Extra], Field(max_length=4)] = [],  # noqa: B006 (never mutated)
) -> Annotated[CallToolResult, JobView]:
    """Save a completed job's video (and any `include` extras) to a local file; answers with
    its path."""
    state = app_state(ctx)
    started = anyio.current_time()  # the deadline covers the whole call, look-ups included
    view = await _completed_view(state, job_id)
    urls: dict[str, str] = {"video": str(view.video_url)}
    details = view.details or {}
    subtitles = details.get("subtitles") or {}
    for extra in include:
        url = details.get("thumbnail_url") if extra == "thumbnail" else subtitles.get(extra)
        if not isinstance(url, str) or not url:
            raise InputError(
                f"Job {job_id} has no {extra} file. Call download_video without it in include."
            )
        urls[extra] = url
    record = await read_record(state, job_id)
    name = (record.video_name if record else None) or _name_in(record.payload if record else {})
    saved = await _save(ctx, state, Wanted(name, job_id, urls), started)
    video = saved["video"]
    if record is None:
        await in_thread(
            lambda: state.store.update_status(
                job_id, "completed", result={"video_url": view.video_url}
            )
        )
    await in_thread(state.store.set_local_path, job_id, str(video.path))
    answer = JobView(
        job_id=job_id,
        status="completed",
        kind=view.kind,
        progress=100.0,
        video_url=view.video_url,
        next_step=f"Saved. Tell the user the file is at {video.path}.",
    )
    answer.detail(
        path=str(video.path),
        size=video.size,
        files={k: str(v.path) for k, v in saved.items() if k != "video"},
    )
    structured = answer.model_dump(mode="json", exclude_none=True)
    links = [
        ResourceLink(
            type="resource_link",
            name=item.path.name,
            uri=item.path.as_uri(),
            mime_type=item.mime_type,
            size=item.size,
        )
        for item in saved.values()
    ]
    return CallToolResult(content=[*links], structured_content=structured)


async def _save(ctx: Context, state: AppState, wanted: Wanted, started: float) -> dict[str, Saved]:
    """save_files within the configured bounds, reporting progress; failures as one sentence."""
    settings = state.settings
    left = settings.download_timeout - (anyio.current_time() - started)
    limits = api.DownloadLimits(timeout=max(left, 0.001), max_bytes=settings.max_download_mb * _MB)

    async def progress(received: int, total: int | None) -> None:
        shown = f"{received / _MB:.1f} MB" + (f" of {total / _MB:.1f} MB" if total else "")
        await ctx.report_progress(received, total, f"downloading: {shown}")

    try:
        return await save_files(
            state.require_client(), settings.output_dir, wanted, limits, progress
        )
    except SaveFailed as failed:
        cause = failed.cause
        if isinstance(cause, DownloadError):
            timeout = settings.download_timeout
            message = download_failure(cause, failed.kind, wanted.job_id, timeout)
        else:
            message = disk_failure(cause, failed.kind, wanted.job_id, settings.output_dir)
        raise DownloadError(message, reason=_reason(cause)) from None


def _reason(cause: DownloadError | OSError) -> DownloadReason:
    return cause.reason if isinstance(cause, DownloadError) else "disk"


def _name_in(payload: dict[str, Any]) -> str | None:
    name = payload.get("videoName") or payload.get("video_name")
    return name if isinstance(name, str) else None


async def _completed_view(state: AppState, job_id: str) -> JobView:
    """The job's result from the history if it is complete there, else from one poll."""
    view = await stored_view(state, job_id)
    if view is None or view.status != "completed" or not view.video_url:
        view = await poll_once(state, job_id)
    if view.status == "completed" and view.video_url:
        return view
    if view.status == "completed":
        fix = (
            "render_preview(job_id) renders this preview first"
            if view.details and view.details.get("preview_url")
            else "it has no video file to save"
        )
        raise InputError(f"Job {job_id} is complete but has no video: {fix}.")
    if view.status == "failed":
        reason = view.error.message if view.error else "it failed"
        raise InputError(f"Job {job_id} failed ({reason}), so there is no video to save.")
    what = "workflow" if is_workflow_id(job_id) else "job"
    pct = f" ({view.progress:g}%)" if view.progress is not None else ""
    raise InputError(
        f"The {what} {job_id} is {view.status}{pct}, not completed. Call wait_for_job(job_id) "
        "until it completes, then download_video."
    )


TOOLS = [
    ToolSpec(
        download_video, "Download a video", read_only=False, idempotent=True, view=PLAYER_VIEW
    ),
]
