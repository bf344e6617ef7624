"""Who holds the server's state: one AppState (job store, Pictory client, caches, workflow
engine, sandbox) per server process, handed to every MCP connection whatever the transport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from pictory_mcp.server.state import AppState

Opener = Callable[[], AbstractAsyncContextManager[AppState]]


class SharedState:
    """Opens the process's AppState once and lends it to each connection.

    An HTTP server holds it in its app's lifespan (`hold()`, one long-lived task enters and
    leaves it, as anyio task groups require), so its many connections share one job store,
    one cache, one workflow engine and one sandbox. Where no process-wide holder exists
    (stdio, whose single connection is the whole process, or an in-process client), the
    connection's lifespan opens a state of its own.

    `ref["state"]` is what code without a request context reads (static resources, job
    announcements); it is set before the first request is served.
    """

    def __init__(self, opener: Opener) -> None:
        self._opener = opener
        self._held: AppState | None = None
        self.ref: dict[str, AppState] = {}

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[AppState]:
        """Open the state for the whole process until the block exits."""
        if self._held is not None:
            raise RuntimeError("the server state is already held")
        async with self._opener() as state:
            self._held = state
            self.ref["state"] = state
            try:
                yield state
            finally:
                self._held = None
                if self.ref.get("state") is state:
                    del self.ref["state"]

    @asynccontextmanager
    async def connection(self, _server: Any) -> AsyncIterator[AppState]:
        """An MCP connection's lifespan: the process's state, or one of its own if none is held."""
        if self._held is not None:
            yield self._held
            return
        async with self._opener() as state:
            # A second in-process client keeps the first one's state visible to resources.
            published = "state" not in self.ref
            if published:
                self.ref["state"] = state
            try:
                yield state
            finally:
                if published and self.ref.get("state") is state:
                    del self.ref["state"]
