"""The one explicit list of toolsets, and their registration on a server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pictory_mcp.server.tools import (
    catalog,
    downloads,
    jobs,
    previews,
    videos,
    voices,
    waiting,
    workflows,
)
from pictory_mcp.server.toolspec import ToolSpec

if TYPE_CHECKING:
    from mcp.server.mcpserver.tools import Tool

    from pictory_mcp.server.option_paths import OptionNames

TOOLSETS: dict[str, list[ToolSpec]] = {
    "videos": videos.TOOLS,
    "previews": previews.TOOLS,
    "workflows": workflows.TOOLS,
    "jobs": jobs.TOOLS,
    "waiting": waiting.TOOLS,
    "downloads": downloads.TOOLS,
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


def tools() -> list[Tool]:
    """Every tool as the server registers it (schemas from the generated cache when current)."""
    from pictory_mcp.server.toolcache import build_tools

    return build_tools(all_tools())


def option_names() -> OptionNames:
    """The create tools' option names, each accepted top-level, in options or in extras."""
    from pictory_mcp.server.option_paths import OptionNames
    from pictory_mcp.server.tools._options import EXTRAS_KEYS, SHARED_OPTION_KEYS

    return OptionNames(shared=SHARED_OPTION_KEYS, extras=EXTRAS_KEYS)


def extras_json_schema() -> dict[str, Any]:
    """The JSON Schema of the create tools' `extras` (the pictory://schema/extras resource)."""
    from pictory_mcp.server.tools._options import extras_json_schema as schema

    return schema()
