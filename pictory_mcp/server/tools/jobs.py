"""Job tracking tools: one poll of a job, normalized, and written to the job history."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.errors import NotFoundError
from pictory_mcp.server.failures import tool_errors
from pictory_mcp.server.jobview import build_view, job_data, result_urls
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.tools._base import ToolSpec, app_state, in_thread
from pictory_mcp.server.tools.videos import JOB_ID
from pictory_mcp.server.workflows import engine_of, is_workflow_id


@tool_errors
async def check_job(
    ctx: Context,
    job_id: Annotated[str, Field(pattern=JOB_ID)],
) -> JobView:
    """Poll a Pictory job once: status, progress, result URLs, or the error and how to fix it."""
    state = app_state(ctx)
    if is_workflow_id(job_id):
        # A server-run workflow: advance it by at most one step and report where it is.
        return await engine_of(state).advance(job_id)
    client = state.require_client()
    record = await in_thread(state.store.get, job_id)
    try:
        answer = await client.get_job(job_id)
    except NotFoundError:
        known = " It is in the local history, so Pictory may have purged it." if record else ""
        raise NotFoundError(
            f"No job '{job_id}' exists for this API key.{known} See pictory://jobs for recent job ids",
            status_code=404,
        ) from None
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
    if record is not None:
        error = view.error.model_dump() if view.error else None
        await in_thread(
            lambda: state.store.update_status(
                job_id,
                view.status,
                progress=view.progress,
                result=result_urls(view) or None,
                error=error,
            )
        )
    return view


TOOLS = [
    ToolSpec(check_job, "Check a job", read_only=True, idempotent=True),
]
