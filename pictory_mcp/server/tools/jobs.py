"""Job tracking tools: one poll of a job, normalized, and written to the job history."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.errors import DeadlineError, NotFoundError
from pictory_mcp.server import webhooks
from pictory_mcp.server.bounds import answer_at_bound, remaining
from pictory_mcp.server.failures import UnknownJobError
from pictory_mcp.server.jobview import (
    build_view,
    destination_outcomes,
    job_data,
    lean,
    result_urls,
)
from pictory_mcp.server.notify import announce
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.phrasing import KEEP_WAITING, WEBHOOK_WAITING
from pictory_mcp.server.polls import SharedPoll
from pictory_mcp.server.state import AppState
from pictory_mcp.server.submissions import is_tracking_id
from pictory_mcp.server.tools._base import ToolSpec, app_state, in_thread, read_record
from pictory_mcp.server.tools._submit import JOB_ID
from pictory_mcp.server.tools._tracking import accepted, pending_view, tracking_record
from pictory_mcp.server.uris import PLAYER_VIEW
from pictory_mcp.server.workflow_engine import engine_of, is_workflow_id, workflow_view


def last_polled(state: AppState, job_id: str) -> float | None:
    """The anyio clock time of the last poll of `job_id` by this server, if any."""
    return state.polls.last_polled(job_id)


async def stored_view(state: AppState, job_id: str, *, late: bool = False) -> JobView | None:
    """What the job history last recorded about a job, without asking Pictory; `late` when
    Pictory was asked but did not answer in time."""
    if is_tracking_id(job_id):
        tracked = await tracking_record(state, job_id)
        if tracked.job_id == job_id:
            return await pending_view(state, tracked)
        view = await stored_view(state, tracked.job_id, late=late)
        return accepted(view, job_id) if view is not None else None
    record = await read_record(state, job_id)
    if record is None:
        return None
    if is_workflow_id(job_id):
        return workflow_view(record, state.settings.poll_interval)
    result = dict(record.result)
    status = "in-progress" if record.status == "submitted" else record.status
    view = JobView(
        job_id=job_id,
        status=status,
        kind=record.kind,
        progress=record.progress,
        video_url=result.pop("video_url", None),
        next_step=(
            f"Pictory did not answer in time; this is the state recorded {record.updated_at}. "
            "Call wait_for_job(job_id) to keep following it."
            if late
            else KEEP_WAITING
            if status == "in-progress"
            else f"Recorded {record.updated_at}; check_job(job_id) asks Pictory again."
        ),
    )
    view.detail(**result)
    if record.error:
        view.detail(error=record.error)
    return view


def _changed(record: Any, view: JobView) -> bool:
    """Whether this poll says anything the history does not hold yet (most polls do not)."""
    if record.status != view.status or record.progress != view.progress:
        return True
    stored = record.result or {}
    return any(stored.get(k) != v for k, v in result_urls(view).items()) or (
        view.error is not None and not record.error
    )


async def followed(state: AppState, job_id: str) -> str | None:
    """The id whose record a webhook keeps current (a Pictory job id or a workflow id) when
    one follows `job_id` (a tracking id leads to its job); None when the job is polled."""
    if not state.settings.webhooks:
        return None
    if is_tracking_id(job_id):
        record = await in_thread(state.store.get_by_tracking_id, job_id)
    else:
        record = await read_record(state, job_id)
    if record is None or is_tracking_id(record.job_id):
        return None
    return record.job_id if await in_thread(state.store.hooked, record.job_id) else None


async def _from_store(state: AppState, job_id: str, record: Any) -> JobView | None:
    """The recorded view of a running job whose webhook will report it, while asking Pictory
    would come before the safety interval; None when Pictory should be asked."""
    if record is None or record.finished or not state.settings.webhooks:
        return None
    if is_workflow_id(job_id):
        if not await engine_of(state).waits_for_webhook(record):
            return None
    elif not await in_thread(state.store.hooked, job_id) or await webhooks.may_check(state, job_id):
        return None
    view = await stored_view(state, job_id)
    if view is not None:
        view.next_step = WEBHOOK_WAITING
    return view


async def poll_once(state: AppState, job_id: str, *, fresh_ok: bool = False) -> JobView:
    """Ask Pictory (or the workflow engine) once, record what it said, announce any change;
    `fresh_ok`: a job a webhook will report is answered from the store instead, but for the
    safety net's check.

    Concurrent polls of one job share one request: a call arriving while another poll of the
    same job is in flight gets that poll's answer (or its error). If the poll in flight is
    cancelled, the waiting calls poll for themselves.
    """
    polls = state.polls
    while (shared := polls.in_flight.get(job_id)) is not None:
        shared.waiters += 1
        await shared.done.wait()
        if shared.error is not None:
            raise shared.error
        if shared.value is not None:
            return shared.value.model_copy(deep=True)
    mine: SharedPoll[JobView] = SharedPoll()
    polls.in_flight[job_id] = mine
    view = None
    try:
        view = await _poll(state, job_id, fresh_ok)
        return view
    except Exception as exc:
        mine.error = exc
        raise
    finally:
        del polls.in_flight[job_id]
        if mine.waiters and view is not None:
            mine.value = view.model_copy(deep=True)  # a snapshot: the caller may edit its view
        mine.done.set()


async def _poll(state: AppState, job_id: str, fresh_ok: bool) -> JobView:
    read = fresh_ok and not is_tracking_id(job_id)
    record = await read_record(state, job_id) if read else None
    if read:
        stored = await _from_store(state, job_id, record)
        if stored is not None:
            return stored
    state.polls.mark(job_id)
    if is_workflow_id(job_id):
        # A server-run workflow: advance it by at most one step and report where it is.
        return await engine_of(state).advance(job_id)
    if is_tracking_id(job_id):
        # A create request: the job it became (polled as that job), or where the request is.
        tracked = await tracking_record(state, job_id)
        if tracked.job_id == job_id:
            return await pending_view(state, tracked)
        return accepted(await poll_once(state, tracked.job_id, fresh_ok=fresh_ok), job_id)
    client = state.require_client()
    if not read:
        record = await read_record(state, job_id)
    try:
        answer = await client.get_job(job_id)
    except NotFoundError:
        raise UnknownJobError(job_id, in_history=record is not None) from None
    data = job_data(answer)
    voices = []
    if data.get("error_code") or data.get("error_message"):
        try:
            voices = await state.voice_catalog()
        except Exception:  # suggestions are a nicety; the failure itself must still be reported
            voices = []
    view = build_view(
        job_id,
        data,
        kind=record.kind if record else None,
        poll_interval=state.settings.poll_interval,
        voices=voices,
    )
    if record is not None and view.status == "completed":
        view.detail(destinations=destination_outcomes(data, record.payload))
    if record is not None and _changed(record, view):
        error = view.error.model_dump() if view.error else None
        updated = await in_thread(
            lambda: state.store.update_status(
                job_id,
                view.status,
                progress=view.progress,
                result=result_urls(view) or None,
                error=error,
            )
        )
        await announce(state, updated)
    return view


async def check_job(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
    detail: bool = False,
) -> JobView:
    """Poll a job once: status, progress, video_url, or the error and its fix; detail=true adds
    all result URLs."""
    state = app_state(ctx)

    def shown(view: JobView) -> JobView:
        return view if detail else lean(view)

    async def recorded() -> JobView:
        return shown(await late_view(state, job_id))

    # Stuck past the bound (a workflow step being sent, a locked history): the recorded state.
    answer_at_bound(recorded)
    with anyio.move_on_after(remaining()):
        return shown(await poll_once(state, job_id, fresh_ok=True))
    return await recorded()


async def late_view(state: AppState, job_id: str) -> JobView:
    """The answer when Pictory did not answer a poll in time: the last recorded state."""
    view = await stored_view(state, job_id, late=True)
    if view is None:
        raise DeadlineError(
            f"Pictory did not answer about job {job_id} in time, and the local history has no "
            "record of it. Call check_job again in a minute."
        )
    return view


TOOLS = [
    ToolSpec(check_job, "Check a job", read_only=True, idempotent=True, view=PLAYER_VIEW),
]
