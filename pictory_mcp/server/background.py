"""Work that belongs to the server process rather than to one tool call: the task group it
runs in, and handles to wait on (or cancel) a piece of it.

Tool calls run here too, so that a call can answer at its bound even while its work is stuck
somewhere a cancellation cannot reach (a job-history write waiting on another process's lock);
job-creating requests run here so that no client (cancelling, disconnecting) can cut them off
between Pictory's answer and the job's record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, Generic, TypeVar

import anyio
from anyio.abc import TaskGroup

from pictory_mcp.errors import DeadlineError

__all__ = ["Background", "Detached"]

T = TypeVar("T")


class Detached(Generic[T]):
    """The outcome of work running in the background, for whoever waits on it."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.scope = anyio.CancelScope()
        self._value: T | None = None
        self._error: BaseException | None = None
        self._finished = False

    def cancel(self) -> None:
        """Stop the work at its next checkpoint (shielded parts finish first)."""
        self.scope.cancel()

    def result(self) -> T:
        """The work's value, or what it raised; only once `done` is set."""
        if self._error is not None:
            raise self._error
        if not self._finished:
            raise DeadlineError("The server stopped this work before it finished.")
        return self._value  # type: ignore[return-value]


class Background:
    """The server process's task group, for work that must outlive the call that started it."""

    def __init__(self) -> None:
        self._group: TaskGroup | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Own the task group until the block exits; then cancel what is left, letting
        shielded parts (requests being sent and recorded) finish first."""
        async with anyio.create_task_group() as group:
            self._group = group
            try:
                yield
            finally:
                self._group = None
                group.cancel_scope.cancel()

    def start(self, loop: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """Run a background loop until the server stops."""
        if self._group is None:
            raise RuntimeError("the server's background task group is not running")
        self._group.start_soon(loop)

    async def detach(self, work: Callable[[], Awaitable[T]]) -> Detached[T]:
        """Start `work` in the background (inline when no task group runs) and return its
        handle at once. Context variables of the caller (the call's deadline) carry over."""
        handle: Detached[T] = Detached()

        async def run() -> None:
            try:
                with handle.scope:
                    try:
                        handle._value = await work()
                        handle._finished = True
                    except Exception as exc:
                        handle._error = exc
            finally:
                handle.done.set()

        if self._group is None:
            await run()
        else:
            self._group.start_soon(run)
        return handle
