"""Waiting and delivery: wait on a job for a bounded time with progress notifications, and
save a finished job's files into the output directory."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ResourceLink
from pydantic import Field

from pictory_mcp.errors import (
    InputError,
    MalformedResponseError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pictory_mcp.server.bounds import DEFAULT_WAIT, wait_bound
from pictory_mcp.server.failures import tool_errors
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import ToolSpec, app_state, in_thread, read_record
from pictory_mcp.server.tools._delivery import Wanted, save_files
from pictory_mcp.server.tools.jobs import last_polled, late_view, poll_once, stored_view
from pictory_mcp.server.tools.videos import JOB_ID
from pictory_mcp.server.workflows import STEPS, is_workflow_id

RUNNING = ("submitting", "submitted", "in-progress")
Extra = Literal["thumbnail", "srt", "vtt", "txt"]


def _progress_message(view: JobView) -> str:
    """Pictory's own progress words (or the workflow step), for the progress notification."""
    details = view.details or {}
    if view.kind == "highlights" and details.get("step") in STEPS:
        step = str(details["step"])
        return f"{view.status}: step {STEPS.index(step) + 1}/3 ({step})"
    message = details.get("message")
    return f"{view.status}: {message}" if message else view.status


async def _poll_or_wait(state: AppState, job_id: str, deadline: float) -> JobView | None:
    """Poll once, no sooner than poll_interval after the last poll of this job (by any call).

    None when the next allowed poll falls after `deadline`.
    """
    interval = state.settings.poll_interval
    last = last_polled(state, job_id)
    if last is not None:
        ready = last + interval
        if ready > deadline:
            return None
        await anyio.sleep(max(0.0, ready - anyio.current_time()))
    return await poll_once(state, job_id)


@tool_errors
async def wait_for_job(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
    timeout_seconds: Annotated[float, Field(ge=1, le=3600)] = DEFAULT_WAIT,
) -> JobView:
    """Wait up to timeout_seconds for a job or workflow to finish, reporting progress; call again
    while it runs."""
    state = app_state(ctx)
    bound = wait_bound(timeout_seconds, state.settings)
    deadline = anyio.current_time() + bound
    reported: tuple[float, str] | None = None
    floor = 0.0
    view: JobView | None = None
    while True:
        polled = None
        # The bound holds inside each poll too: its retries and backoff stop at the deadline.
        with anyio.move_on_after(deadline - anyio.current_time()):
            try:
                polled = await _poll_or_wait(state, job_id, deadline)
            except (RateLimitedError, ServerError, TransportError, MalformedResponseError) as exc:
                # A passing fault while waiting: keep the last answer, try again next interval.
                if view is None:
                    raise
                pause = exc.retry_after if isinstance(exc, RateLimitedError) else None
                if anyio.current_time() + (pause or 0) >= deadline:
                    break
                await anyio.sleep(pause or 0)
                continue
        if polled is None:
            break
        view = polled
        floor = max(floor, view.progress or 0.0)  # progress notifications never go back
        mark = (floor, _progress_message(view))
        if mark != reported:
            await ctx.report_progress(floor, 100.0, mark[1])
            reported = mark
        if view.status not in RUNNING:
            return _finished(view)
    if view is None:
        view = await late_view(state, job_id)
    pct = f" ({view.progress:g}%)" if view.progress is not None else ""
    view.next_step = (
        f"Still {view.status}{pct} after waiting {math.ceil(bound)} s. Call wait_for_job "
        "again with the same job_id to keep waiting (renders take 5-15 minutes)."
    )
    return view


def _finished(view: JobView) -> JobView:
    if view.status == "completed" and view.video_url:
        view.next_step += " download_video(job_id) saves it to a local file."
    return view


@tool_errors
async def download_video(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
    include: Annotated[list[Extra], Field(max_length=4)] = [],  # noqa: B006 (never mutated)
) -> Annotated[CallToolResult, JobView]:
    """Save a completed job's video (and any `include` extras) to the output folder; answers
    with its path and a resource link."""
    state = app_state(ctx)
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
    saved = await save_files(
        state.require_client(), state.settings.output_dir, Wanted(name, job_id, urls)
    )
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
    ToolSpec(wait_for_job, "Wait for a job", read_only=True, idempotent=True),
    ToolSpec(download_video, "Download a video", read_only=False, idempotent=True),
]
