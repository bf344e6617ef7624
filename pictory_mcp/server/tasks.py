"""Renders as tasks: the MCP tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28).

A client that declares the extension on its request may get a task instead of the job answer
when a spending tool starts a job that is still running. The task's id is the id the answer
named (a Pictory job id, a request's tracking id, a highlights workflow id), so the job store,
not this process, is what a task is: `tasks/get` answers after a restart and on any replica.
`tasks/get` is `check_job` (the same path, the same bound, the same answer once the job ends);
`tasks/cancel` records, in the store, that nobody follows the job for the task any more.
Older clients, and clients that do not declare the extension, see none of this.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from mcp import MCPError
from mcp.server.extension import Extension, MethodBinding
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.server import require_client_extension
from mcp.types import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    CallToolResult,
    RequestParams,
)
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import ConfigDict

from pictory_mcp.errors import PictoryMCPError
from pictory_mcp.server.bounds import GRACE
from pictory_mcp.server.failures import describe
from pictory_mcp.server.highlights import STEPS
from pictory_mcp.server.jobview import lean
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.phrasing import RENDER_TIME, WEBHOOK_WAITING
from pictory_mcp.server.state import CURRENT_TENANT, AppState, in_thread, read_record
from pictory_mcp.server.submissions import is_tracking_id

if TYPE_CHECKING:
    from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
    from mcp.types import CallToolRequestParams

    from pictory_mcp.config import Settings
    from pictory_mcp.jobs import JobRecord
    from pictory_mcp.server.pictory_server import PictoryServer

__all__ = ["TASKS", "RenderTasks", "poll_interval_ms"]

T = TypeVar("T")
Recorded = Callable[[AppState, str], Awaitable[JobView | None]]

logger = logging.getLogger("pictory_mcp.server")

TASKS = "io.modelcontextprotocol/tasks"
MODERN = frozenset(MODERN_PROTOCOL_VERSIONS)

# Pictory's guidance (API reference, async job model): poll every 10-30 s.
PICTORY_POLL_RANGE = (10.0, 30.0)
RUNNING = ("submitting", "submitted", "in-progress")
FAILED = ("failed", "unknown")  # the job did not make a video (or nobody can know whether it did)
NOTE = "pictory-mcp/note"  # `_meta` key of the sentence that goes with a cancellation


def poll_interval_ms(poll_interval: float) -> int:
    """How often a client should poll a task: the server's poll interval, kept within what
    Pictory asks of its own clients."""
    low, high = PICTORY_POLL_RANGE
    return int(min(max(poll_interval, low), high) * 1000)


def cancelled_message(task_id: str) -> str:
    """What a cancelled task says: what stopped, and what Pictory goes on doing."""
    return (
        f"Cancelled: this server no longer follows {task_id} for this task. Pictory has no "
        "cancel, so a submitted render runs on and spends its credits (a highlights workflow "
        f"goes on to its render); check_job('{task_id}') still reports it."
    )


class TaskParams(RequestParams):
    """`tasks/get`, `tasks/update` and `tasks/cancel` params: the task's id (and, for
    `tasks/update`, input responses, which this server never asks for)."""

    model_config = ConfigDict(extra="allow")
    task_id: str


class RenderTasks(Extension):
    """The tasks extension over the job store. `spending` names the tools that may answer with
    a task (those that are not read-only); `serve` hands it the server it runs in."""

    identifier = TASKS

    def __init__(self, spending: frozenset[str], settings: Settings) -> None:
        self.spending = spending
        self.poll_interval_ms = poll_interval_ms(settings.poll_interval)
        # A backstop only: the check_job call inside answers by its own bound.
        self.bound = settings.call_timeout + 2 * GRACE
        self.webhooks = settings.webhooks
        self._server: PictoryServer | None = None
        self._recorded: Recorded | None = None

    def serve(self, server: PictoryServer, *, recorded: Recorded) -> None:
        """Run in `server`; `recorded(state, job_id)` is the job's view as the history holds it
        (what check_job answers without asking Pictory)."""
        self._server = server
        self._recorded = recorded

    def methods(self) -> list[MethodBinding]:
        return [
            MethodBinding("tasks/get", TaskParams, self._get, protocol_versions=MODERN),
            MethodBinding("tasks/update", TaskParams, self._update, protocol_versions=MODERN),
            MethodBinding("tasks/cancel", TaskParams, self._cancel, protocol_versions=MODERN),
        ]

    # -- tools/call ----------------------------------------------------------------------------

    async def intercept_tool_call(
        self,
        params: CallToolRequestParams,
        ctx: ServerRequestContext[Any, Any],
        call_next: CallNext,
    ) -> HandlerResult:
        """The tool runs as it always does (its checks, confirmations and bound included); a
        started job that is still running is then answered as a task, if the client asked."""
        if params.name not in self.spending or not _declared(ctx):
            return await call_next(ctx)
        result = await call_next(ctx)
        if not isinstance(result, CallToolResult) or result.is_error:
            return result
        view = result.structured_content or {}
        task_id = view.get("job_id")
        if not isinstance(task_id, str) or view.get("status") not in RUNNING:
            return result
        try:
            async with self._serving(ctx) as state:
                record = await _record(state, task_id)
        except (MCPError, PictoryMCPError, ValueError):
            record = None
        if record is None or record.finished:
            # Not in the history just now (a job id journaled beside it): tasks/get could not
            # answer for it yet, so the job answer stands.
            return result
        logger.info("%s answered with a task for %s", params.name, task_id)
        return {
            "resultType": "task",
            **self._task(task_id, record, "working", _working_message(view)),
        }

    # -- tasks/* ------------------------------------------------------------------------------

    async def _get(self, ctx: ServerRequestContext[Any, Any], params: TaskParams) -> dict[str, Any]:
        """The task's state: check_job's answer about its job, or that it was cancelled."""
        require_client_extension(ctx, TASKS)
        task_id = params.task_id
        with anyio.move_on_after(self.bound):
            async with self._serving(ctx) as state:
                record = await self._known(state, task_id)
                cancelled = state.store.task_cancelled
                if await _store_call(lambda: in_thread(cancelled, task_id)) is not None:
                    return self._cancelled(task_id, record)
                if self.webhooks and record.finished:
                    # The webhook's confirming request recorded how it ended: asking Pictory
                    # again would cost a request per follower.
                    checked = await self._stored(state, task_id)
                else:
                    checked = await self._check(ctx, task_id)
                    record = await _record(state, task_id) or record
            return self._detailed(task_id, record, checked)
        raise MCPError(
            code=INTERNAL_ERROR,
            message=f"Could not read task {task_id} within {self.bound:g} s; try again.",
        )

    async def _update(
        self, ctx: ServerRequestContext[Any, Any], params: TaskParams
    ) -> dict[str, Any]:
        """Acknowledged: these tasks never wait for input, so any response is ignored."""
        require_client_extension(ctx, TASKS)
        async with self._serving(ctx) as state:
            await self._known(state, params.task_id)
        return {}

    async def _cancel(
        self, ctx: ServerRequestContext[Any, Any], params: TaskParams
    ) -> dict[str, Any]:
        """Acknowledged and recorded: the task is followed no further (a job that had already
        finished keeps its outcome). Pictory's job itself cannot be cancelled."""
        require_client_extension(ctx, TASKS)
        task_id = params.task_id
        async with self._serving(ctx) as state:
            record = await self._known(state, task_id)
            if record.finished:
                note = f"{task_id} had already ended ({record.status}); the task keeps its result."
            else:
                await _store_call(lambda: in_thread(state.store.cancel_task, task_id))
                note = cancelled_message(task_id)
        return {"_meta": {NOTE: note}}

    # -- pieces ---------------------------------------------------------------------------------

    def _context(self, ctx: ServerRequestContext[Any, Any]) -> Context[AppState, Any]:
        assert self._server is not None, "RenderTasks.serve was not called"
        return Context(request_context=ctx, mcp_server=self._server)

    @asynccontextmanager
    async def _serving(self, ctx: ServerRequestContext[Any, Any]) -> AsyncIterator[AppState]:
        """The state the caller's tasks live on: the process's, or in hosted mode the caller's
        own (admitted by the same gate as every tool call)."""
        process = ctx.lifespan_context
        if not isinstance(process, AppState):
            raise MCPError(code=INTERNAL_ERROR, message="The server is still starting; try again.")
        gate = self._server.gate if self._server is not None else None
        if gate is None:
            yield process
            return
        try:
            tenant, entered = await gate.enter(process, None, self._context(ctx))
        except ToolError as exc:
            raise MCPError(code=INVALID_REQUEST, message=str(exc)) from None
        try:
            yield tenant
        finally:
            CURRENT_TENANT.reset(entered)

    async def _known(self, state: AppState, task_id: str) -> JobRecord:
        """The job record of one of the caller's tasks; unknown ids (another user's included)
        are the protocol's invalid-params error."""
        try:
            record = await _store_call(lambda: _record(state, task_id))
        except ValueError:
            record = None
        if record is None:
            raise MCPError(
                code=INVALID_PARAMS,
                message=f"Failed to retrieve task: no task {task_id!r} in this server's job "
                "history for this caller.",
            )
        return record

    async def _check(self, ctx: ServerRequestContext[Any, Any], task_id: str) -> CallToolResult:
        """check_job's answer about the task's job, through the server's own tool call."""
        assert self._server is not None, "RenderTasks.serve was not called"
        try:
            answer = await self._server.call_tool(
                "check_job", {"job_id": task_id}, self._context(ctx)
            )
        except ToolError as exc:
            raise MCPError(code=INTERNAL_ERROR, message=f"Failed to retrieve task: {exc}") from None
        if not isinstance(answer, CallToolResult):
            raise MCPError(code=INTERNAL_ERROR, message="Failed to retrieve task; try again.")
        return answer

    async def _stored(self, state: AppState, task_id: str) -> CallToolResult:
        """check_job's answer from what the history recorded about the task's job."""
        assert self._server is not None and self._recorded is not None
        recorded = self._recorded
        view = await _store_call(lambda: recorded(state, task_id))
        answer = self._server.answer("check_job", lean(view)) if view is not None else None
        if not isinstance(answer, CallToolResult):
            raise MCPError(code=INTERNAL_ERROR, message="Failed to retrieve task; try again.")
        return answer

    def _task(
        self, task_id: str, record: JobRecord, status: str, message: str | None
    ) -> dict[str, Any]:
        """The fields every task answer carries. A task lives as long as its job's record."""
        task: dict[str, Any] = {
            "taskId": task_id,
            "status": status,
            "createdAt": record.created_at,
            "lastUpdatedAt": record.updated_at,
            "ttlMs": None,
        }
        if message:
            task["statusMessage"] = message
        if status == "working":
            task["pollIntervalMs"] = self.poll_interval_ms
        return task

    def _detailed(self, task_id: str, record: JobRecord, checked: CallToolResult) -> dict[str, Any]:
        """check_job's answer as the task's state: still working, or the final result (a job
        that made no video is a result flagged as an error, carrying the fix: the extension
        keeps `failed` for protocol errors)."""
        view = checked.structured_content or {}
        status = view.get("status")
        if status in RUNNING or status not in (*FAILED, "completed", "cleaned"):
            return self._task(task_id, record, "working", _working_message(view))
        final = checked.model_copy(update={"is_error": status in FAILED})
        error = view.get("error") if isinstance(view.get("error"), Mapping) else None
        message = (
            f"{status.capitalize()}: {error.get('message')} {error.get('fix')}"
            if error
            else str(view.get("next_step") or status)
        )
        return {
            **self._task(task_id, record, "completed", message),
            "result": final.model_dump(by_alias=True, mode="json", exclude_none=True),
        }

    def _cancelled(self, task_id: str, record: JobRecord) -> dict[str, Any]:
        return self._task(task_id, record, "cancelled", cancelled_message(task_id))


def _declared(ctx: ServerRequestContext[Any, Any]) -> bool:
    """Whether this request comes from a 2026-era client that declared the extension on it."""
    if ctx.protocol_version not in MODERN:
        return False
    capabilities = ctx.session.client_capabilities
    extensions = capabilities.extensions if capabilities is not None else None
    return extensions is not None and TASKS in extensions


async def _record(state: AppState, task_id: str) -> JobRecord | None:
    """The caller's record of a task's job: a tracking id leads to the job it became."""
    if is_tracking_id(task_id):
        return await in_thread(state.store.get_by_tracking_id, task_id)
    return await read_record(state, task_id)


async def _store_call(call: Callable[[], Awaitable[T]]) -> T:
    """A job-store call whose failure is the caller's protocol error, in one sentence."""
    try:
        return await call()
    except PictoryMCPError as exc:
        raise MCPError(code=INTERNAL_ERROR, message=describe(exc)) from None


def _working_message(view: Mapping[str, Any]) -> str:
    """A running job in a sentence: Pictory's own progress words, or the workflow's step."""
    details = view.get("details") if isinstance(view.get("details"), Mapping) else {}
    assert isinstance(details, Mapping)
    if view.get("status") == "submitting":
        return (
            "Being sent to Pictory (do not submit it again); the task goes on once Pictory "
            "confirms it."
        )
    progress = view.get("progress")
    pct = f"{progress:g}%" if isinstance(progress, int | float) else None
    step = details.get("step")
    if view.get("kind") == "highlights" and step in STEPS:
        where = f"Highlights step {STEPS.index(step) + 1}/3 ({step})"
        said = pct
    else:
        where = "In progress at Pictory"
        said = ": ".join(str(part) for part in (pct, details.get("message")) if part) or None
    heard = (
        " Pictory will tell this server when it finishes."
        if (view.get("next_step") == WEBHOOK_WAITING)
        else ""
    )
    return f"{where}{f' ({said})' if said else ''}; {RENDER_TIME}.{heard}"
