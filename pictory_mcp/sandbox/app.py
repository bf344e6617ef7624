"""Builds the sandbox ASGI application: Starlette routes behind the sandbox middleware."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from pictory_mcp.sandbox.core import Sandbox, json
from pictory_mcp.sandbox.middleware import SandboxMiddleware
from pictory_mcp.sandbox.routes import all_routes
from pictory_mcp.sandbox.sandbox_config import SandboxConfig

_MESSAGES = {404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else None
    return json({"message": _MESSAGES.get(status, "Error")}, status, headers)


def build_app(config: SandboxConfig | None = None) -> SandboxMiddleware:
    """A fresh sandbox (its own state) as an ASGI app; `.sandbox` exposes the live state."""
    sandbox = Sandbox(config or SandboxConfig())
    inner = Starlette(
        routes=all_routes(),
        exception_handlers={404: _http_error, 405: _http_error, 500: _http_error},
    )
    inner.state.sandbox = sandbox
    return SandboxMiddleware(inner, sandbox)
