"""The declaration shape of a tool, and helpers every toolset uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from mcp.server.mcpserver import Context
from mcp.types import ToolAnnotations

from pictory_mcp.server.state import AppState

if TYPE_CHECKING:
    from pictory_mcp.jobs import JobRecord

T = TypeVar("T")


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its function (docstring = description), title and honest annotations."""

    fn: Callable[..., Any]
    title: str
    read_only: bool
    destructive: bool = False
    idempotent: bool = False
    open_world: bool = True

    @property
    def name(self) -> str:
        return self.fn.__name__

    def annotations(self) -> ToolAnnotations:
        # The title is already the tool's own `title`; repeating it here costs tokens.
        return ToolAnnotations(
            read_only_hint=self.read_only,
            destructive_hint=self.destructive,
            idempotent_hint=self.idempotent,
            open_world_hint=self.open_world,
        )


def app_state(ctx: Context[Any, Any]) -> AppState:
    state = ctx.request_context.lifespan_context
    assert isinstance(state, AppState)
    return state


async def read_record(state: AppState, job_id: str) -> JobRecord | None:
    """The job's history record: read on the event loop when the store is free (no thread
    hop for the commonest read), in a worker thread when another thread holds it."""
    done, record = state.store.get_nowait(job_id)
    if done:
        return record
    return await in_thread(state.store.get, job_id)


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run a blocking job-store call off the event loop."""
    return await anyio.to_thread.run_sync(fn, *args)
