"""Announce job-history changes to listening clients: `subscriptions/listen` streams (2026-07-28)
through the server's subscription bus, and `resources/subscribe` sessions (2025 handshake era).

Tools, `submit()` and the workflow engine call `announce(state, record)` after a store write;
the engine has no request context, so the server is found through the binding that
`bind(server, state_ref)` made when resources were registered.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass, field
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.shared.subscriptions import ResourcesListChanged, ResourceUpdated, ServerEvent
from mcp.types import EmptyResult, SubscribeRequestParams, UnsubscribeRequestParams

from pictory_mcp.jobs import JobRecord
from pictory_mcp.server.state import AppState
from pictory_mcp.server.uris import JOBS_URI

logger = logging.getLogger("pictory_mcp.server.notify")

_SEND_TIMEOUT = 2.0  # a legacy session that stopped reading must not stall a poll
_MAX_REMEMBERED = 2000


def job_uri(job_id: str) -> str:
    return f"{JOBS_URI}/{job_id}"


@dataclass
class _Binding:
    """One server, the lifespan's state holder, and who listens on the legacy wire."""

    state_ref: dict[str, Any]
    server: weakref.ref[MCPServer[Any]]
    # Legacy connections (weakly held: a closed connection drops out) and their subscribed URIs.
    legacy: weakref.WeakKeyDictionary[Any, set[str]] = field(
        default_factory=weakref.WeakKeyDictionary
    )
    # What was last announced per job, so an unchanged poll announces nothing.
    last: dict[str, tuple[str, float | None]] = field(default_factory=dict)


_BINDINGS: list[_Binding] = []


def bind(server: MCPServer[Any], state_ref: dict[str, Any]) -> None:
    """Connect `server` to the state its lifespan puts in `state_ref["state"]`, and serve
    `resources/subscribe` for handshake-era clients (MCPServer only serves listen streams)."""
    _BINDINGS[:] = [b for b in _BINDINGS if b.server() is not None]
    binding = _Binding(state_ref=state_ref, server=weakref.ref(server))
    _BINDINGS.append(binding)

    # The session object lives for one request; its connection lives as long as the client.
    async def subscribe(ctx: Any, params: SubscribeRequestParams) -> EmptyResult:
        connection = ctx.session._connection
        binding.legacy.setdefault(connection, set()).add(str(params.uri))
        return EmptyResult()

    async def unsubscribe(ctx: Any, params: UnsubscribeRequestParams) -> EmptyResult:
        binding.legacy.get(ctx.session._connection, set()).discard(str(params.uri))
        return EmptyResult()

    # The SDK has no public hook for these 2025-era methods on MCPServer.
    lowlevel = server._lowlevel_server
    lowlevel.add_request_handler("resources/subscribe", SubscribeRequestParams, subscribe)
    lowlevel.add_request_handler("resources/unsubscribe", UnsubscribeRequestParams, unsubscribe)


def _binding_of(state: AppState) -> _Binding | None:
    for binding in _BINDINGS:
        if binding.state_ref.get("state") is state:
            return binding
    return None


async def announce(state: AppState, job: JobRecord | str, *, new: bool = False) -> None:
    """Tell listeners that a job (and so the job list) changed. Never raises.

    With a JobRecord, nothing is sent if its status and progress equal the last announcement.
    `new` also announces that the resource list changed (a job was added).
    """
    binding = _binding_of(state)
    if binding is None:
        return  # a server without resources (unit tests) or one that is shutting down
    job_id = job if isinstance(job, str) else job.job_id
    if isinstance(job, JobRecord):
        mark = (job.status, job.progress)
        if binding.last.get(job_id) == mark and not new:
            return
        if len(binding.last) >= _MAX_REMEMBERED:
            binding.last.clear()
        binding.last[job_id] = mark
    events: list[ServerEvent] = [ResourceUpdated(uri=job_uri(job_id)), ResourceUpdated(JOBS_URI)]
    if new:
        events.append(ResourcesListChanged())
    try:
        await _publish(binding, events)
    except Exception:  # an announcement is a courtesy; the job itself is already recorded
        logger.exception("could not announce a change of job %s", job_id)


async def _publish(binding: _Binding, events: list[ServerEvent]) -> None:
    server = binding.server()
    if server is not None:
        bus = server._subscriptions  # the bus ctx.notify_* publish to
        for event in events:
            await bus.publish(event)
    for connection, uris in list(binding.legacy.items()):
        for event in events:
            try:
                with anyio.fail_after(_SEND_TIMEOUT):
                    if isinstance(event, ResourceUpdated) and event.uri in uris:
                        await connection.send_resource_updated(event.uri)
                    elif isinstance(event, ResourcesListChanged) and uris:
                        await connection.send_resource_list_changed()
            except Exception:  # closed or stuck connection: forget it
                binding.legacy.pop(connection, None)
                break
