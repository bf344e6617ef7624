"""The one explicit list of toolsets, and their registration on a server."""

from __future__ import annotations

import inspect
from typing import Any

from pictory_mcp.server.tools import catalog, jobs, previews, videos, voices, waiting, workflows
from pictory_mcp.server.tools._base import ToolSpec

TOOLSETS: dict[str, list[ToolSpec]] = {
    "videos": videos.TOOLS,
    "previews": previews.TOOLS,
    "workflows": workflows.TOOLS,
    "jobs": jobs.TOOLS,
    "waiting": waiting.TOOLS,
    "voices": voices.TOOLS,
    "catalog": catalog.TOOLS,
}


def all_tools() -> list[ToolSpec]:
    """Every tool, in toolset order; a duplicate name is a start-up error."""
    seen: set[str] = set()
    out: list[ToolSpec] = []
    for specs in TOOLSETS.values():
        for spec in specs:
            if spec.name in seen:
                raise RuntimeError(f"duplicate tool name {spec.name!r}")
            seen.add(spec.name)
            out.append(spec)
    return out


def register_tools(server: Any) -> None:
    for spec in all_tools():
        server.add_tool(
            spec.fn,
            name=spec.name,
            title=spec.title,
            description=inspect.cleandoc(spec.fn.__doc__ or ""),
            annotations=spec.annotations(),
            structured_output=True,
        )
