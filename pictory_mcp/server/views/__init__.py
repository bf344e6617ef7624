"""The inline views (MCP Apps, `io.modelcontextprotocol/ui`): a player for jobs and a storyboard
editor for previews, each one HTML file with its script and styles inlined, served as `ui://`
resources through the SDK's `Apps` extension and linked from the tools that declare a `view`.

The views fetch nothing themselves: every byte they show comes through the host (tool results,
tool calls), except the media they play, whose hosts the resource's CSP lists — Pictory's CDN,
and the upstream's own origin when it is not Pictory (the sandbox serves its files itself).
Hosts read the CSP from `resources/read`, where the upstream's origin is added once it is known
(the sandbox's port is chosen when the server starts); `resources/list` shows Pictory's hosts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mcp.server.apps import Apps, ResourceCsp, Visibility

from pictory_mcp.facts import DEFAULT_BASE_URL
from pictory_mcp.server.uris import PLAYER_VIEW, STORYBOARD_VIEW

if TYPE_CHECKING:
    from mcp.server.lowlevel.helper_types import ReadResourceContents
    from mcp.types import Tool as MCPTool

    from pictory_mcp.server.toolspec import ToolSpec

__all__ = ["PICTORY_MEDIA", "build_apps", "is_view_only", "resource_domains", "with_upstream"]

_HERE = Path(__file__).parent

# Where Pictory serves rendered videos, thumbnails and subtitles (API reference §8.1: the
# CloudFront distribution of its results, share and preview pages on video.pictory.ai, sample
# media on pictorycontent.com).
PICTORY_MEDIA = (
    "https://d3uryq9bhgb5qr.cloudfront.net",
    "https://*.pictory.ai",
    "https://*.pictorycontent.com",
)

_VIEWS = {
    PLAYER_VIEW: (
        "player.html",
        "Video player",
        "Plays a finished video (poster, subtitles, download link), or shows a job's progress "
        "or its error and fix.",
    ),
    STORYBOARD_VIEW: (
        "storyboard.html",
        "Storyboard editor",
        "A preview's scenes (text, visual, duration), editable in place, then rendered.",
    ),
}


def page(filename: str) -> str:
    """A view's single HTML file: its page with the shared script and styles put inline."""
    html = (_HERE / filename).read_text(encoding="utf-8")
    shared = {
        "/*@view.css*/": (_HERE / "view.css").read_text(encoding="utf-8"),
        "/*@view.js*/": (_HERE / "view.js").read_text(encoding="utf-8"),
    }
    for marker, text in shared.items():
        html = html.replace(marker, text)
    return html


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def resource_domains(base_url: str | None = None) -> list[str]:
    """The media hosts a view may load from: Pictory's, and the upstream's own origin when it
    is not Pictory (the sandbox, local or configured)."""
    domains = list(PICTORY_MEDIA)
    origin = origin_of(base_url) if base_url and base_url != DEFAULT_BASE_URL else None
    if origin and origin not in domains:
        domains.append(origin)
    return domains


def build_apps(specs: Sequence[ToolSpec]) -> Apps | None:
    """The MCP Apps extension for the offered tools: each tool's `_meta.ui` link to its view
    (view-only tools with visibility `["app"]`), and the views they link as resources. None
    when no offered tool has a view."""
    linked = [spec for spec in specs if spec.view is not None]
    if not linked:
        return None
    apps = Apps()
    for spec in linked:
        assert spec.view is not None
        visibility: list[Visibility] | None = ["app"] if spec.view_only else None
        apps.tool(resource_uri=spec.view, visibility=visibility, name=spec.name)(spec.fn)
    csp = ResourceCsp(resource_domains=resource_domains())
    for uri in dict.fromkeys(spec.view for spec in linked if spec.view is not None):
        filename, title, description = _VIEWS[uri]
        apps.add_html_resource(
            uri,
            page(filename),
            name=filename.removesuffix(".html"),
            title=title,
            description=description,
            csp=csp,
            prefers_border=True,
        )
    return apps


def is_view_only(tool: MCPTool) -> bool:
    """Whether a listed tool is for views only (`_meta.ui.visibility` without "model")."""
    ui = (tool.meta or {}).get("ui")
    visibility = ui.get("visibility") if isinstance(ui, dict) else None
    return isinstance(visibility, list) and "model" not in visibility


def with_upstream(
    contents: Iterable[ReadResourceContents], base_url: str
) -> list[ReadResourceContents]:
    """A view's contents with the upstream's origin added to its CSP's resource domains."""
    out = []
    for item in contents:
        meta: dict[str, Any] = dict(item.meta or {})
        ui = dict(meta.get("ui") or {})
        csp = dict(ui.get("csp") or {})
        csp["resourceDomains"] = resource_domains(base_url)
        ui["csp"] = csp
        meta["ui"] = ui
        out.append(replace(item, meta=meta))
    return out
