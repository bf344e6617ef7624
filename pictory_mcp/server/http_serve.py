"""Serving MCP over HTTP (streamable HTTP or SSE) with uvicorn.

One app lifespan holds the server's state for every connection; access lines go through the
redacting stderr logger with query values hidden; slow or idle clients are bounded.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import h11
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
    from pictory_mcp.server.pictory_server import PictoryServer

logger = logging.getLogger("pictory_mcp.server.http")
# Our own logger, not uvicorn's: anything that reconfigures "uvicorn.access" (the embedded
# sandbox's own uvicorn, a host application) cannot silence these lines or send them to stdout.
access_logger = logging.getLogger("pictory_mcp.http.access")
access_logger.addFilter(AccessLogFilter())

HttpTransport = Literal["sse", "streamable-http"]


@dataclass(frozen=True)
class HttpLimits:
    """Bounds on what one client can hold (documented in the README)."""

    # From connecting, or from the end of the previous answer on a kept-alive connection, a
    # client has this long to send a complete request (line, headers and body); uvicorn
    # itself has no such bound, so a silent or dripping socket would be held forever.
    request_seconds: float = 15.0
    # How long an idle kept-alive connection stays open between requests.
    keep_alive_seconds: int = 5
    # Open connections plus running requests; beyond it requests are answered 503. An SSE
    # client holds one stream and usually one or two request connections.
    max_connections: int = 512
    # The request line plus headers (h11's own default, made explicit).
    max_header_bytes: int = 16 * 1024
    # On shutdown, how long open streams get to finish before they are cancelled (hosted:
    # `limits_for` raises it to the longest call).
    shutdown_seconds: int = 5


def limits_for(settings: Settings) -> HttpLimits:
    """The limits of `settings`' server. A hosted replica being stopped (a rolling update, a
    scale-down) lets every call already running finish: it waits up to the longest a call
    may last (`wait_for_job` up to the wait ceiling, any other call up to the call timeout),
    plus 5 s for the answer to leave, before it cancels what is left and releases its leases.
    """
    if not settings.hosted:
        return HttpLimits()
    longest = max(settings.call_timeout, settings.wait_ceiling)
    return HttpLimits(shutdown_seconds=math.ceil(longest) + 5)


class _BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request to arrive in full, and access
    lines written to our own logger."""

    limits = HttpLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_logger = access_logger
        self.access_log = True
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()  # the next request on a kept-alive connection gets the same bound

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.limits.request_seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        # IDLE: no complete request head yet; SEND_BODY: the body is still arriving. A request
        # that arrived in full (DONE) is the app's to answer, however long its stream lasts.
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            logger.debug("closing a connection that did not send its request in time")
            self.transport.close()


def _protocol(limits: HttpLimits) -> type[_BoundedH11Protocol]:
    class Protocol(_BoundedH11Protocol):
        pass

    Protocol.limits = limits
    return Protocol


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
        # Hosted: sessionless, so any replica answers any request without sticky routing
        # (2026-07-28 requests are sessionless anyway; this covers 2025-era clients).
        app = server.streamable_http_app(
            max_request_body_size=MAX_REQUEST_BODY,
            transport_security=security,
            host=host,
            stateless_http=settings.hosted,
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
    server: PictoryServer,
    settings: Settings,
    transport: HttpTransport,
    *,
    host: str,
    port: int,
    limits: HttpLimits | None = None,
) -> uvicorn.Server:
    """A uvicorn server for `server` over `transport` on host:port, not yet started."""
    limits = limits or limits_for(settings)
    config = uvicorn.Config(
        http_app(server, settings, transport, host=host, port=port),
        host=bind_address(host),
        port=port,
        http=_protocol(limits),
        ws="none",
        lifespan="on",  # a state that fails to open stops the server instead of serving without it
        log_config=None,  # our stderr handler, with redaction, is the only one
        access_log=True,
        timeout_keep_alive=limits.keep_alive_seconds,
        limit_concurrency=limits.max_connections,
        h11_max_incomplete_event_size=limits.max_header_bytes,
        timeout_graceful_shutdown=limits.shutdown_seconds,
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
