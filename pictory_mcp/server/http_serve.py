"""Serving MCP over HTTP (streamable HTTP or SSE) with uvicorn.

One app lifespan holds the server's state for every connection; access lines go through the
redacting stderr logger with query values hidden.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Literal

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.h11_impl import H11Protocol

from pictory_mcp._logging import AccessLogFilter
from pictory_mcp.config import Settings
from pictory_mcp.server.http import (
    MAX_REQUEST_BODY,
    bind_address,
    transport_security,
    url_host,
)

if TYPE_CHECKING:
    from pictory_mcp.server.app import PictoryServer

logger = logging.getLogger("pictory_mcp.server.http")
# Our own logger, not uvicorn's: anything that reconfigures "uvicorn.access" (the embedded
# sandbox's own uvicorn, a host application) cannot silence these lines or send them to stdout.
access_logger = logging.getLogger("pictory_mcp.http.access")
access_logger.addFilter(AccessLogFilter())

HttpTransport = Literal["sse", "streamable-http"]


class _H11Protocol(H11Protocol):
    """uvicorn's h11 protocol, writing access lines to our own logger."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_logger = access_logger
        self.access_log = True


def http_app(
    server: PictoryServer, settings: Settings, transport: HttpTransport, *, host: str, port: int
) -> Starlette:
    """The SDK's Starlette app for `transport`, whose lifespan holds the server's state."""
    security = transport_security(settings, host=host, port=port)
    if transport == "sse":
        app = server.sse_app(
            max_request_body_size=MAX_REQUEST_BODY, transport_security=security, host=host
        )
    else:
        app = server.streamable_http_app(
            max_request_body_size=MAX_REQUEST_BODY, transport_security=security, host=host
        )
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[Any]:
        # State first, so the streamable-HTTP session manager (inner) finds it held, and
        # before uvicorn accepts a connection, so no request ever sees a half-started server.
        async with server.shared_state.hold(), inner(app) as value:
            yield value

    app.router.lifespan_context = lifespan
    return app


def http_server(
    server: PictoryServer, settings: Settings, transport: HttpTransport, *, host: str, port: int
) -> uvicorn.Server:
    """A uvicorn server for `server` over `transport` on host:port, not yet started."""
    config = uvicorn.Config(
        http_app(server, settings, transport, host=host, port=port),
        host=bind_address(host),
        port=port,
        http=_H11Protocol,
        ws="none",
        lifespan="on",  # a state that fails to open stops the server instead of serving without it
        log_config=None,  # our stderr handler, with redaction, is the only one
        access_log=True,
        server_header=False,
    )
    return uvicorn.Server(config)


async def serve_http(
    server: PictoryServer, settings: Settings, transport: HttpTransport, *, host: str, port: int
) -> None:
    """Serve `server` over `transport` on host:port until interrupted."""
    path = "/sse" if transport == "sse" else "/mcp"
    logger.info("serving %s at http://%s:%d%s", transport, url_host(host), port, path)
    await http_server(server, settings, transport, host=host, port=port).serve()
