"""Bounds on slow clients: a connection that never finishes a request is closed after the
request deadline, while a stream that did start keeps going."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import pytest
from anyio.abc import SocketStream
from mcp import Client
from mcp.client.sse import sse_client

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from pictory_mcp.server.http_serve import HttpLimits, HttpTransport, http_server
from tests._helpers import free_port, structured

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SHORT = HttpLimits(request_seconds=1.0)


@asynccontextmanager
async def running(
    settings: Settings, transport: HttpTransport, limits: HttpLimits
) -> AsyncIterator[int]:
    """The server over `transport` in this event loop, with `limits`; yields its port."""
    port = free_port()
    server = http_server(
        build_server(settings), settings, transport, host="127.0.0.1", port=port, limits=limits
    )
    async with anyio.create_task_group() as group:
        group.start_soon(server.serve)
        try:
            with anyio.fail_after(20):
                while not server.started:  # noqa: ASYNC110 (uvicorn offers only this flag)
                    await anyio.sleep(0.02)
            yield port
        finally:
            server.should_exit = True


async def closed_by_server(stream: SocketStream) -> None:
    """Return once the server has closed the connection (whatever it sent before)."""
    try:
        while await stream.receive():
            pass
    except (anyio.EndOfStream, anyio.BrokenResourceError, ConnectionError):
        return


async def test_a_socket_that_sends_nothing_or_drips_its_headers_is_closed_by_the_server(
    settings: Settings,
) -> None:
    async with running(settings, "streamable-http", SHORT) as port:
        silent = await anyio.connect_tcp("127.0.0.1", port)
        dripping = await anyio.connect_tcp("127.0.0.1", port)
        await dripping.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")

        async def drip() -> None:
            # Always some bytes in flight, never a finished head: uvicorn's keep-alive timer
            # restarts on each, so only a deadline on the whole request can end this.
            try:
                while True:
                    await dripping.send(b"X")
                    await anyio.sleep(0.1)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, ConnectionError):
                return

        with anyio.fail_after(15):
            async with anyio.create_task_group() as group:
                group.start_soon(drip)
                await closed_by_server(silent)
                await closed_by_server(dripping)
                group.cancel_scope.cancel()
        await silent.aclose()
        await dripping.aclose()


async def test_an_open_sse_stream_outlives_the_request_deadline_and_keeps_answering(
    settings: Settings,
) -> None:
    async with running(settings, "sse", SHORT) as port:
        with anyio.fail_after(30):
            async with Client(sse_client(f"http://127.0.0.1:{port}/sse")) as client:
                # A silent socket opened after the stream is closed after the deadline, so the
                # stream's own deadline has passed too by the time this returns.
                silent = await anyio.connect_tcp("127.0.0.1", port)
                await closed_by_server(silent)
                await silent.aclose()
                voices = structured(await client.call_tool("list_voices", {"limit": 1}))
    assert voices["voices"]
