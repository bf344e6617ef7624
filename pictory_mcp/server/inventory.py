"""The one explicit list of toolsets, and their registration on a server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pictory_mcp.errors import ConfigurationError
from pictory_mcp.server.tools import (
    catalog,
    downloads,
    history,
    jobs,
    previews,
    videos,
    views,
    voices,
    waiting,
    workflows,
)
from pictory_mcp.server.toolspec import ToolSpec

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mcp.server.mcpserver.tools import Tool

    from pictory_mcp.server.option_paths import OptionNames

# Every tool, from the modules that define them (grouped by what they share in code;
# `videos.TOOLS` includes the source tools).
_DEFINED: list[ToolSpec] = [
    *videos.TOOLS,
    *previews.TOOLS,
    *workflows.TOOLS,
    *jobs.TOOLS,
    *waiting.TOOLS,
    *downloads.TOOLS,
    *history.TOOLS,
    *voices.TOOLS,
    *catalog.TOOLS,
    *views.TOOLS,
]

# The toolsets a user selects (`--toolsets`), grouped by what an agent does with them; the
# smallest useful server is `text,jobs`. Every tool is in exactly one toolset.
TOOLSETS: dict[str, tuple[str, ...]] = {
    "text": ("create_video_from_text", "list_voices"),
    "sources": (
        "create_video_from_article",
        "create_video_from_presentation",
        "create_video_from_template",
        "create_video_from_storyboard",
    ),
    "previews": ("get_preview", "update_preview_scene", "render_preview"),
    "highlights": ("create_video_highlights",),
    "jobs": ("check_job", "wait_for_job", "download_video", "list_jobs"),
    "catalog": ("list_catalog", "search_library"),
}

# The tools only the inline views call (`view_only`), each offered with the toolset whose
# tools link its view; hosts that show views list them to the view, never to the model.
VIEW_TOOLSETS: dict[str, str] = {"get_player_state": "jobs", "get_storyboard": "previews"}


def _toolset_names(toolset: str) -> tuple[str, ...]:
    """A toolset's tools, then the view-only tools offered with it."""
    extra = tuple(name for name, owner in VIEW_TOOLSETS.items() if owner == toolset)
    return TOOLSETS[toolset] + extra


def all_tools() -> list[ToolSpec]:
    """Every tool, in toolset order (each toolset's view-only tools after its own); a duplicate
    name, or a tool in no toolset or in two, is a start-up error."""
    by_name: dict[str, ToolSpec] = {}
    for spec in _DEFINED:
        if spec.name in by_name:
            raise RuntimeError(f"duplicate tool name {spec.name!r}")
        by_name[spec.name] = spec
    listed = [name for toolset in TOOLSETS for name in _toolset_names(toolset)]
    if sorted(listed) != sorted(by_name):
        raise RuntimeError("every tool must be in exactly one toolset")
    if any(by_name[name].view_only != (name in VIEW_TOOLSETS) for name in listed):
        raise RuntimeError("view-only tools are exactly those of VIEW_TOOLSETS")
    return [by_name[name] for name in listed]


def selected_tools(
    toolsets: Sequence[str] | None = None, *, read_only: bool = False
) -> list[ToolSpec]:
    """The tools of `toolsets` (all when None or empty), in toolset order; `read_only` leaves
    out every tool that is not read-only (those spend credits or write files).

    An unknown toolset name is a ConfigurationError naming the valid ones.
    """
    wanted = list(dict.fromkeys(toolsets or TOOLSETS))
    unknown = [name for name in wanted if name not in TOOLSETS]
    if unknown:
        raise ConfigurationError(
            f"Unknown toolset {', '.join(repr(n) for n in unknown)} in PICTORY_MCP_TOOLSETS or "
            f"--toolsets; valid toolsets: {', '.join(TOOLSETS)}."
        )
    names = {name for toolset in wanted for name in _toolset_names(toolset)}
    return [
        spec for spec in all_tools() if spec.name in names and (spec.read_only or not read_only)
    ]


# Tools that act on the server's own machine, left out when the server is hosted for others
# (a user's video is saved on their side, from the video_url every job view gives).
LOCAL_ONLY = frozenset({"download_video"})


def offered(
    toolsets: Sequence[str] | None = None, *, read_only: bool = False, hosted: bool = False
) -> list[ToolSpec]:
    """The selected tools a server offers; `hosted` leaves out those that act on the server's
    own machine."""
    specs = selected_tools(toolsets, read_only=read_only)
    return [s for s in specs if not (hosted and s.name in LOCAL_ONLY)]


def tools(specs: Sequence[ToolSpec]) -> list[Tool]:
    """The tools as the server registers them (schemas from the generated cache when current)."""
    from pictory_mcp.server.toolcache import build_tools

    return build_tools(specs)


def option_names() -> OptionNames:
    """The create tools' option names, each accepted top-level, in options or in extras."""
    from pictory_mcp.server.option_paths import OptionNames
    from pictory_mcp.server.tools._options import EXTRAS_KEYS, SHARED_OPTION_KEYS

    return OptionNames(shared=SHARED_OPTION_KEYS, extras=EXTRAS_KEYS)


def extras_json_schema() -> dict[str, Any]:
    """The JSON Schema of the create tools' `extras` (the pictory://schema/extras resource)."""
    from pictory_mcp.server.tools._options import extras_json_schema as schema

    return schema()
