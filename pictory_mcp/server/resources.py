"""MCP resources: the job history (pictory://jobs, pictory://jobs/{job_id}) and the JSON
Schemas that tool descriptions point to (pictory://schema/storyboard, .../extras)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError

from pictory_mcp import api
from pictory_mcp.errors import StoreError
from pictory_mcp.server.jobrows import job_row
from pictory_mcp.server.state import CURRENT_TENANT, AppState
from pictory_mcp.server.uris import EXTRAS_SCHEMA_URI, JOBS_URI, STORYBOARD_SCHEMA_URI

RECENT_LIMIT = 50


def register_resources(
    server: MCPServer[Any],
    state_ref: dict[str, AppState],
    extras_json_schema: Callable[[], dict[str, Any]],
) -> None:
    """`state_ref` is filled by the lifespan (static resources cannot take a Context);
    `extras_json_schema` gives the create tools' `extras` schema (a tools fact)."""

    def state() -> AppState:
        tenant = CURRENT_TENANT.get()  # hosted: the caller's own history
        if tenant is not None:
            return tenant
        if "state" not in state_ref:
            raise ResourceError("The server is still starting; try again.")
        return state_ref["state"]

    @server.resource(
        JOBS_URI,
        name="jobs",
        title="Job history",
        description=f"The {RECENT_LIMIT} most recent jobs this server submitted, newest first.",
        mime_type="application/json",
    )
    def recent_jobs() -> str:
        # The rows list_jobs answers with; one job in full is pictory://jobs/{job_id}.
        try:
            records, total = state().store.search(limit=RECENT_LIMIT)
        except StoreError as exc:  # the SDK would hide any other error's message
            raise ResourceError(str(exc)) from None
        return json.dumps(
            {"jobs": [job_row(r) for r in records], "total": total},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @server.resource(
        JOBS_URI + "/{job_id}",
        name="job",
        title="One job",
        description="One job from the history, with the payload that was submitted.",
        mime_type="application/json",
    )
    def one_job(job_id: str) -> str:
        try:
            record = state().store.get(job_id)
        except StoreError as exc:
            raise ResourceError(str(exc)) from None
        if record is None:
            raise ResourceError(f"No job '{job_id}' in the local history; see {JOBS_URI}.")
        return json.dumps(record.to_dict(include_payload=True), indent=1)

    @server.resource(
        STORYBOARD_SCHEMA_URI,
        name="storyboard_schema",
        title="Storyboard JSON Schema",
        description="What create_video_from_storyboard accepts, with Pictory's field names.",
        mime_type="application/schema+json",
    )
    def storyboard_schema() -> str:
        return json.dumps(api.models.storyboard_json_schema(), separators=(",", ":"))

    @server.resource(
        EXTRAS_SCHEMA_URI,
        name="extras_schema",
        title="Video extras JSON Schema",
        description="The `extras` argument of the create_video_* tools.",
        mime_type="application/schema+json",
    )
    def extras_schema() -> str:
        return json.dumps(extras_json_schema(), separators=(",", ":"))
