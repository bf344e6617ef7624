"""Stdio transport on the event loop's own pipe support.

The SDK's `stdio_server` reads and writes standard streams through worker threads (a thread
hand-off for every line read, every write and every flush). When stdin and stdout are pipes or
sockets, which is how every MCP client starts a stdio server, this module serves the same
protocol on non-blocking descriptors watched by the asyncio loop instead: no threads, one write
per message. Anything else (a terminal, a regular file, another event loop, Windows) falls back
to the SDK's transport unchanged.

Like the SDK's transport it claims the standard descriptors while serving: fd 0 reads the null
device and fd 1 writes to stderr, so stray output from a library or a child process can never
corrupt the protocol stream; both are restored on exit.
"""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, contextmanager, suppress
from typing import Any

# A JSON-RPC message is one line; allow large ones (a whole storyboard, a long script).
MAX_LINE = 64 * 1024 * 1024


def pipes_usable() -> bool:
    """Whether fd 0 and fd 1 are pipes or sockets on an asyncio loop (the fast path applies)."""
    if sys.platform == "win32":
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    for fd in (0, 1):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            return False
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return False
    return True


@contextmanager
def _claimed(fd: int, diversion: int) -> Iterator[int]:
    """Move the wire behind `fd` to a private descriptor and point `fd` at `diversion`."""
    private = os.dup(fd)
    try:
        os.dup2(diversion, fd)
        try:
            yield private
        finally:
            os.dup2(private, fd)
    finally:
        os.close(private)


@contextmanager
def _blocking_restored(fd: int) -> Iterator[None]:
    """asyncio makes pipe descriptors non-blocking; put the flag back as it was."""
    was_blocking = os.get_blocking(fd)
    try:
        yield
    finally:
        with suppress(OSError):
            os.set_blocking(fd, was_blocking)


class _LineReader:
    """`async for line in reader` over an asyncio StreamReader, decoded like the SDK does."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader

    def __aiter__(self) -> _LineReader:
        return self

    async def __anext__(self) -> str:
        try:
            line = await self._reader.readline()
        except ValueError:
            # Longer than MAX_LINE: the reader has dropped what it buffered. Hand on a line
            # that cannot parse, so the server reports it and reads on; the rest of the long
            # line, when it arrives, is reported the same way.
            return "\n"
        if not line:
            raise StopAsyncIteration
        return line.decode("utf-8", errors="replace")


class _LineWriter:
    """The `write`/`flush` pair the SDK's stdio loop calls, on an asyncio write transport."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    async def write(self, text: str) -> None:
        self._writer.write(text.encode("utf-8"))

    async def flush(self) -> None:
        await self._writer.drain()


@asynccontextmanager
async def pipe_streams(max_line: int = MAX_LINE) -> AsyncIterator[tuple[Any, Any]]:
    """(stdin, stdout) objects for the SDK's `stdio_server`, served by the event loop."""
    loop = asyncio.get_running_loop()
    with ExitStack() as fds:
        null_in = os.open(os.devnull, os.O_RDONLY)
        fds.callback(os.close, null_in)
        wire_in = fds.enter_context(_claimed(0, null_in))
        wire_out = fds.enter_context(_claimed(1, 2))
        fds.enter_context(_blocking_restored(wire_in))
        fds.enter_context(_blocking_restored(wire_out))
        # The transports own these duplicates and close them; the claims keep their own.
        in_file = os.fdopen(os.dup(wire_in), "rb", buffering=0)
        out_file = os.fdopen(os.dup(wire_out), "wb", buffering=0)
        reader = asyncio.StreamReader(limit=max_line, loop=loop)
        read_transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader, loop=loop), in_file
        )
        try:
            write_transport, protocol = await loop.connect_write_pipe(
                lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader(loop=loop), loop=loop),
                out_file,
            )
        except BaseException:
            read_transport.close()
            out_file.close()
            raise
        # flush() then means "handed to the kernel", as with the SDK's flushed file.
        write_transport.set_write_buffer_limits(high=0)
        writer = asyncio.StreamWriter(write_transport, protocol, None, loop)
        try:
            yield _LineReader(reader), _LineWriter(writer)
        finally:
            read_transport.close()
            write_transport.close()


async def serve_stdio(server: Any, *, max_line: int = MAX_LINE) -> None:
    """Run a low-level MCP server over stdio: on the loop's pipes when they are usable,
    else on the SDK's transport."""
    from mcp.server.stdio import stdio_server

    async with AsyncExitStack() as stack:
        if pipes_usable():
            stdin, stdout = await stack.enter_async_context(pipe_streams(max_line))
            streams = await stack.enter_async_context(stdio_server(stdin, stdout))
        else:
            streams = await stack.enter_async_context(stdio_server())
        await server.run(*streams, server.create_initialization_options())
