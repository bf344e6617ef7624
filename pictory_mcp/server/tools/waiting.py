"""Waiting: wait on a job for a bounded time with progress notifications (saving its files is
in `downloads.py`)."""

from __future__ import annotations

import math
from typing import Annotated

import anyio
from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.errors import MalformedResponseError, RateLimitedError, ServerError, TransportError
from pictory_mcp.server import webhooks
from pictory_mcp.server.bounds import DEFAULT_WAIT, wait_bound
from pictory_mcp.server.jobview import lean
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.phrasing import RENDER_TIME
from pictory_mcp.server.state import AppState, in_thread
from pictory_mcp.server.tools._base import ToolSpec, app_state
from pictory_mcp.server.tools._submit import JOB_ID
from pictory_mcp.server.tools._tracking import accepted
from pictory_mcp.server.tools.jobs import followed, last_polled, late_view, poll_once, stored_view
from pictory_mcp.server.uris import PLAYER_VIEW
from pictory_mcp.server.workflow_engine import STEPS

RUNNING = ("submitting", "submitted", "in-progress")


def _progress_message(view: JobView) -> str:
    """Pictory's own progress words (or the workflow step), for the progress notification."""
    details = view.details or {}
    if view.kind == "highlights" and details.get("step") in STEPS:
        step = str(details["step"])
        return f"{view.status}: step {STEPS.index(step) + 1}/3 ({step})"
    message = details.get("message")
    return f"{view.status}: {message}" if message else view.status


async def _hear_or_wait(state: AppState, target: str, deadline: float) -> JobView | None:
    """For a job a webhook will report: the recorded state once it is final or changes (any
    replica's record wakes this wait); Pictory is asked only as the safety net, when nobody
    has within the safety interval. None at `deadline`."""
    while True:
        stored = await stored_view(state, target)
        if stored is not None and stored.status not in RUNNING:
            return stored
        if await webhooks.may_check(state, target):
            return await poll_once(state, target)
        safety = state.settings.webhook_safety_seconds
        changed = await _until_change(state, target, min(deadline, anyio.current_time() + safety))
        if changed is not None:
            return changed
        if anyio.current_time() >= deadline:
            return None


async def _poll_or_wait(state: AppState, job_id: str, deadline: float) -> JobView | None:
    """Poll once, no sooner than poll_interval after the last poll of this job (by any call).

    None when the next allowed poll falls after `deadline`. In hosted mode the interval holds
    across replicas too (a poll slot in the shared store), and a wait ends early when the job's
    record changes, whichever replica recorded it.
    """
    interval = state.settings.poll_interval
    while True:
        last = last_polled(state, job_id)
        if last is not None:
            ready = last + interval
            if state.user:
                # Hosted: whichever replica records the job's next change ends the pause, even
                # when this one's own next poll would come after the deadline.
                changed = await _until_change(state, job_id, min(ready, deadline))
                if changed is not None:
                    return changed
                if ready > deadline:
                    return None
            else:
                if ready > deadline:
                    return None
                await anyio.sleep(max(0.0, ready - anyio.current_time()))
        if not state.user:
            return await poll_once(state, job_id)
        if await _take_poll_slot(state, job_id, interval):
            if last_polled(state, job_id) == last or job_id in state.polls.in_flight:
                return await poll_once(state, job_id)  # (joining a poll still in flight)
            # Another call on this replica polled while this one took the slot: wait for the
            # interval after that poll, as if it had been this call's.
            continue
        # Another replica polled this job within the interval: its answer reaches the store.
        changed = await _until_change(state, job_id, min(deadline, anyio.current_time() + interval))
        if changed is not None:
            return changed
        if anyio.current_time() >= deadline:
            return None


async def _take_poll_slot(state: AppState, job_id: str, interval: float) -> bool:
    """Whether this replica may poll `job_id` now (no other replica did within `interval`)."""
    name = webhooks.poll_slot(state, job_id)
    return await in_thread(state.store.claim_lock, name, state.owner, interval)


async def _until_change(state: AppState, job_id: str, until: float) -> JobView | None:
    """Sleep until `until` (anyio clock) or until the job's record changes; on a change, what
    the store now says."""
    assert state.notifier is not None
    event = state.notifier.changed(job_id)
    with anyio.move_on_after(max(0.0, until - anyio.current_time())):
        await event.wait()
    if not event.is_set():
        return None
    return await stored_view(state, job_id)


async def wait_for_job(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
    timeout_seconds: Annotated[float, Field(ge=1, le=3600)] = DEFAULT_WAIT,
) -> JobView:
    """Wait up to timeout_seconds for a job to finish, reporting progress; call again while it
    runs."""
    state = app_state(ctx)
    bound = wait_bound(timeout_seconds, state.settings)
    deadline = anyio.current_time() + bound
    reported: tuple[float, str] | None = None
    floor = 0.0
    view: JobView | None = None
    target = None
    with anyio.move_on_after(deadline - anyio.current_time()):
        target = await followed(state, job_id)
    while True:
        polled = None
        # The bound holds inside each poll too: its retries and backoff stop at the deadline.
        with anyio.move_on_after(deadline - anyio.current_time()):
            try:
                if target is not None:
                    polled = await _hear_or_wait(state, target, deadline)
                    if polled is not None and target != job_id:
                        polled = accepted(polled, job_id)
                else:
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
            return _finished(view, state)
    if view is None:
        view = await late_view(state, job_id)
    pct = f" ({view.progress:g}%)" if view.progress is not None else ""
    view.next_step = (
        f"Still {view.status}{pct} after waiting {math.ceil(bound)} s. Call wait_for_job "
        f"again with the same job_id to keep waiting ({RENDER_TIME})."
    )
    return lean(view)


def _finished(view: JobView, state: AppState) -> JobView:
    # download_video is offered only on the user's own machine, and not in read-only mode.
    offered = not state.settings.hosted and not state.settings.read_only
    if view.status == "completed" and view.video_url and offered:
        view.next_step += " download_video(job_id) saves it to a local file."
    return lean(view)


TOOLS = [
    ToolSpec(wait_for_job, "Wait for a job", read_only=True, idempotent=True, view=PLAYER_VIEW),
]
