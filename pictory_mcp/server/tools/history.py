"""The job history as a tool: many chat clients never show resources to the model, so "show me
today's videos" and "download the bakery video from earlier" need `list_jobs`."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from pictory_mcp.server.jobrows import STATUS_FILTERS, created_bound, job_row
from pictory_mcp.server.outputs import JobList
from pictory_mcp.server.tools._base import ToolSpec, app_state, in_thread

_WHEN = "ISO date/time (UTC) or age: 24h, 7d"
PAGE = 20  # rows are small; a fixed page spares the schema a limit argument


async def list_jobs(
    ctx: Context,
    status: Literal["in-progress", "completed", "failed", "cleaned"] | None = None,
    kind: Literal["render", "preview", "highlights"] | None = None,
    since: Annotated[str | None, Field(max_length=40, description=_WHEN)] = None,
    before: Annotated[str | None, Field(max_length=40)] = None,
    name_contains: Annotated[str | None, Field(max_length=100)] = None,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> JobList:
    """Find earlier videos (newest first, 20 a page) and the job_id that check_job or
    download_video takes."""
    state = app_state(ctx)
    start = created_bound(since, "since") if since else None
    end = created_bound(before, "before") if before else None
    records, total = await in_thread(
        lambda: state.store.search(
            statuses=STATUS_FILTERS[status] if status else (),
            kind=kind,
            since=start,
            before=end,
            text=name_contains,
            limit=PAGE,
            offset=offset,
        )
    )
    more = offset + len(records) < total
    if total == 0:
        hint = (
            "No job matches; drop a filter."
            if (status or kind or since or before or name_contains)
            else ("No jobs yet.")
        )
    else:
        hint = "check_job(job_id, detail=true) shows one in full."
    return JobList(
        jobs=[job_row(r) for r in records],
        total=total,
        next_offset=offset + len(records) if more else None,
        next_step=hint,
    )


TOOLS = [
    ToolSpec(list_jobs, "List jobs", read_only=True, idempotent=True, open_world=False),
]
