"""Hosted mode's gate, where every tool call and resource read passes: the caller from their
verified access token, the scope a tool needs, the caller's request budgets, and the tenant
state the call runs on (set in `CURRENT_TENANT` for the call's duration)."""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver.exceptions import ToolError

from pictory_mcp.server.state import CURRENT_TENANT, AppState
from pictory_mcp.server.tenancy import KEY_HEADER, Caller, caller

if TYPE_CHECKING:
    from mcp.server.mcpserver.tools import Tool
    from mcp.types import Tool as MCPTool

__all__ = ["Gate"]

logger = logging.getLogger("pictory_mcp.server.hosted")


def _spends(read_only: bool | None) -> bool:
    """Tools that are not read-only spend credits or change the user's Pictory content."""
    return not read_only


class Gate:
    """Admits one call: who, which scope, which budget, which tenant."""

    def __init__(self, *, allow_key_header: bool) -> None:
        self.allow_key_header = allow_key_header

    def _caller(self) -> Caller:
        who = caller()
        if who is None:  # the bearer middleware admits no request without a token
            raise ToolError("Sign in first: this server needs an access token for every call.")
        return who

    async def enter(
        self, process: AppState, tool: Tool | None, context: Any
    ) -> tuple[AppState, contextvars.Token[AppState | None]]:
        """The caller's tenant, set as the current state; refuses with a sentence saying why."""
        from pictory_mcp.hosted.identity import RENDER_SCOPE

        who = self._caller()
        if tool is not None:
            read_only = bool(tool.annotations and tool.annotations.read_only_hint)
            if _spends(read_only) and RENDER_SCOPE not in who.scopes:
                raise ToolError(
                    f"{tool.name} spends Pictory credits or changes the user's videos, which "
                    f"needs the '{RENDER_SCOPE}' scope; this access token has only "
                    f"{', '.join(sorted(who.scopes)) or 'no scopes'}. Ask the user to sign in "
                    "again granting it, or use the read-only tools."
                )
        tenants = process.tenants
        if tenants is None:
            raise ToolError("The server is still starting; try again.")
        tenant = await tenants.state_for(who.user, self._header_key(context))
        if tool is not None:
            tenants.charge(who.user, tenant)
        return tenant, CURRENT_TENANT.set(tenant)

    def _header_key(self, context: Any) -> str | None:
        headers = getattr(context, "headers", None) if context is not None else None
        value: str | None = headers.get(KEY_HEADER) if headers is not None else None
        if value is None or not value.strip():
            return None
        if not self.allow_key_header:
            raise ToolError(
                "This server does not take Pictory keys in the X-Pictory-Api-Key header; "
                "remove the header and connect the key through the link this server gives."
            )
        return value.strip()

    def visible(self, tools: list[MCPTool]) -> list[MCPTool]:
        """The tools the caller may use: a token without the render scope sees none of those
        that need it."""
        from pictory_mcp.hosted.identity import RENDER_SCOPE

        who = caller()
        if who is not None and RENDER_SCOPE in who.scopes:
            return tools
        return [
            t for t in tools if not _spends(t.annotations.read_only_hint if t.annotations else None)
        ]
