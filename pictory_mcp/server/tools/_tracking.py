"""What check_job and wait_for_job say about a tracking id ("sub-…"): the job it became, or
the request still being sent, or a request whose outcome nobody can know."""

from __future__ import annotations

import time

from pictory_mcp.errors import InputError, PictoryMCPError
from pictory_mcp.jobs import JobRecord
from pictory_mcp.server.outputs import JobError, JobView
from pictory_mcp.server.state import AppState
from pictory_mcp.server.submissions import UNKNOWN_CODE
from pictory_mcp.server.tools._base import in_thread
from pictory_mcp.server.tools._submit import resend

_STOPPED = (
    "The server stopped while sending this request, so it is unknown whether Pictory "
    "created the video."
)
_STOPPED_FIX = (
    "Do not submit it again yet: look for a new video in the user's Pictory account (or ask "
    "the user to); submit again only if none was started."
)


async def tracking_record(state: AppState, tracking_id: str) -> JobRecord:
    """The job record a tracking id became, or its placeholder; a clear refusal if neither."""
    record = await in_thread(state.store.get_by_tracking_id, tracking_id)
    if record is None:
        raise InputError(
            f"No request '{tracking_id}' in this server's job history. Use the job_id a create "
            "tool returned; pictory://jobs lists recent jobs."
        )
    return record


def accepted(view: JobView, tracking_id: str) -> JobView:
    """A job's view reached through the tracking id of the request that created it."""
    view.detail(tracking_id=tracking_id)
    view.next_step = f"Pictory accepted it as job {view.job_id}; use that job_id from now on. " + (
        view.next_step
    )
    return view


async def pending_view(state: AppState, record: JobRecord) -> JobView:
    """A request Pictory has not named a job for: still being sent, or its outcome unknown."""
    tracking_id = record.job_id
    if record.error is None and not record.lease_held(time.time()):
        record = await _mark_stopped(state, record)
    if record.error is None:
        return JobView(
            job_id=tracking_id,
            status="submitting",
            kind=record.kind,
            next_step=(
                "Still being sent to Pictory. Do not submit again (that could pay twice): call "
                f"wait_for_job('{tracking_id}'), which answers with the job_id once Pictory "
                "confirms."
            ),
        )
    error = record.error
    fix = str(error.get("fix") or _STOPPED_FIX)
    return JobView(
        job_id=tracking_id,
        status="unknown",
        kind=record.kind,
        error=JobError(
            code=str(error.get("code") or UNKNOWN_CODE),
            message=str(error.get("message") or _STOPPED),
            fix=fix,
        ),
        next_step=fix,
    )


async def _mark_stopped(state: AppState, record: JobRecord) -> JobRecord:
    """The sender died (its lease expired): send its request from here if it never went
    out, else record that its outcome is unknown — under the lease, so never while the sender
    is alive after all."""
    leases = state.leases
    if record.job_id in leases.held:
        return record  # this very process is still sending it
    try:
        async with leases.holding(record.job_id) as owned:
            if not owned:
                return record
            fresh = await in_thread(state.store.get_by_tracking_id, record.job_id)
            if fresh is None or fresh.job_id != record.job_id or fresh.error is not None:
                return fresh or record
            if await state.submitter.take_over(
                fresh, lambda client: resend(client, fresh.kind, fresh.payload)
            ):
                return fresh
            error = {"code": UNKNOWN_CODE, "message": _STOPPED, "fix": _STOPPED_FIX}
            return await in_thread(state.store.mark_submission_unknown, record.job_id, error)
    except PictoryMCPError:
        return record
