"""Announce job-history changes to listening clients: `subscriptions/listen` streams (2026-07-28)
through the server's subscription bus, and `resources/subscribe` sessions (2025 handshake era).

Tools, the submitter and the workflow engine call `announce(state, record)` after a store
write; the engine has no request context, so the server's `Notifier` travels on the state
(`AppState.notifier`, set when the server opens its state).
"""

from __future__ import annotations

import logging
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.subscriptions import InMemorySubscriptionBus, ListenHandler, SubscriptionBus
from mcp.shared.exceptions import MCPError
from mcp.shared.subscriptions import ResourcesListChanged, ResourceUpdated, ServerEvent
from mcp.types import (
    INVALID_REQUEST,
    EmptyResult,
    SubscribeRequestParams,
    SubscriptionsListenRequestParams,
    UnsubscribeRequestParams,
)

from pictory_mcp.jobs import JobRecord
from pictory_mcp.server.state import AppState
from pictory_mcp.server.uris import JOBS_URI

logger = logging.getLogger("pictory_mcp.server.notify")

_SEND_TIMEOUT = 2.0  # a legacy session that stopped reading must not stall a poll
_MAX_REMEMBERED = 2000


def job_uri(job_id: str) -> str:
    return f"{JOBS_URI}/{job_id}"


def _job_events(job_id: str, *, new: bool = False) -> list[ServerEvent]:
    """What a change of `job_id` announces: the job and the list changed (and the list's
    membership, for a new job)."""
    events: list[ServerEvent] = [ResourceUpdated(uri=job_uri(job_id)), ResourceUpdated(JOBS_URI)]
    if new:
        events.append(ResourcesListChanged())
    return events


class Notifier:
    """One server's announcements: its subscription bus, and who listens on the legacy wire.

    In hosted mode each user's tenant has a notifier of its own publishing to that user's bus
    only (`adopt`), and listen streams are served from the caller's bus (`serve_per_user`), so
    nobody hears of another user's jobs. `changed(job_id)` lets a waiter sleep until the job's
    record changes, here or (through the store's notifications) on another replica.
    """

    def __init__(self, remember: int = _MAX_REMEMBERED) -> None:
        self._server: weakref.ref[MCPServer[Any]] | None = None
        self._bus: SubscriptionBus | None = None  # a tenant's: its user's bus
        self._user_buses: dict[str, InMemorySubscriptionBus] = {}
        self._listeners: dict[str, ListenHandler] = {}
        self._changes: dict[str, anyio.Event] = {}
        # Legacy connections (weakly held: a closed connection drops out) and their URIs.
        self.legacy: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
        # What was last announced per job, so an unchanged poll announces nothing.
        self.last: OrderedDict[str, tuple[str, float | None]] = OrderedDict()
        self.remember = remember

    def attach(self, server: MCPServer[Any]) -> None:
        """Announce through `server`, and serve its `resources/subscribe` for handshake-era
        clients (MCPServer itself only serves listen streams)."""
        self._server = weakref.ref(server)

        # The session object lives for one request; its connection lives as long as the client.
        async def subscribe(ctx: Any, params: SubscribeRequestParams) -> EmptyResult:
            connection = ctx.session._connection
            self.legacy.setdefault(connection, set()).add(str(params.uri))
            return EmptyResult()

        async def unsubscribe(ctx: Any, params: UnsubscribeRequestParams) -> EmptyResult:
            self.legacy.get(ctx.session._connection, set()).discard(str(params.uri))
            return EmptyResult()

        # The SDK has no public hook for these 2025-era methods on MCPServer.
        lowlevel = server._lowlevel_server
        lowlevel.add_request_handler("resources/subscribe", SubscribeRequestParams, subscribe)
        lowlevel.add_request_handler("resources/unsubscribe", UnsubscribeRequestParams, unsubscribe)

    def adopt(self, tenant: Notifier, user: str) -> None:
        """Make `tenant` publish to `user`'s bus (hosted mode)."""
        tenant._bus = self.bus_of(user)

    async def relay(self, user: str, job_id: str) -> None:
        """Tell `user`'s listeners here that `job_id` changed, recorded by another replica
        (hosted mode, when this replica holds no tenant of the user to announce it)."""
        bus = self._user_buses.get(user)
        if bus is not None:
            for event in _job_events(job_id):
                await bus.publish(event)

    def bus_of(self, user: str) -> InMemorySubscriptionBus:
        return self._user_buses.setdefault(user, InMemorySubscriptionBus())

    def serve_per_user(self, server: MCPServer[Any], user_of: Callable[[], str | None]) -> None:
        """Serve `subscriptions/listen` from the caller's own bus (hosted mode)."""

        async def listen(ctx: Any, params: SubscriptionsListenRequestParams) -> Any:
            user = user_of()
            if user is None:
                raise MCPError(INVALID_REQUEST, "Listening needs an authenticated user.")
            handler = self._listeners.get(user)
            if handler is None:
                handler = self._listeners[user] = ListenHandler(self.bus_of(user))
            return await handler(ctx, params)

        server._lowlevel_server.add_request_handler(
            "subscriptions/listen", SubscriptionsListenRequestParams, listen
        )

    def changed(self, job_id: str) -> anyio.Event:
        """An event set at the next announcement about `job_id`."""
        event = self._changes.get(job_id)
        if event is None:
            event = self._changes[job_id] = anyio.Event()
        return event

    def wake(self, job_id: str | None = None) -> None:
        """Wake the waiters of `job_id` (all waiters when None: something may have been missed)."""
        if job_id is None:
            events, self._changes = list(self._changes.values()), {}
        else:
            event = self._changes.pop(job_id, None)
            events = [event] if event is not None else []
        for event in events:
            event.set()

    async def announce(self, job: JobRecord | str, *, new: bool = False) -> None:
        """See `announce`."""
        job_id = job if isinstance(job, str) else job.job_id
        self.wake(job_id)
        if isinstance(job, JobRecord):
            mark = (job.status, job.progress)
            if self.last.get(job_id) == mark and not new:
                return
            self.last[job_id] = mark
            self.last.move_to_end(job_id)
            while len(self.last) > self.remember:
                self.last.popitem(last=False)
        events = _job_events(job_id, new=new)
        try:
            await self._publish(events)
        except Exception:  # an announcement is a courtesy; the job itself is already recorded
            logger.exception("could not announce a change of job %s", job_id)

    async def _publish(self, events: list[ServerEvent]) -> None:
        if self._bus is not None:
            for event in events:
                await self._bus.publish(event)
            return
        server = self._server() if self._server is not None else None
        if server is not None:
            bus = server._subscriptions  # the bus ctx.notify_* publish to
            for event in events:
                await bus.publish(event)
        for connection, uris in list(self.legacy.items()):
            for event in events:
                try:
                    with anyio.fail_after(_SEND_TIMEOUT):
                        if isinstance(event, ResourceUpdated) and event.uri in uris:
                            await connection.send_resource_updated(event.uri)
                        elif isinstance(event, ResourcesListChanged) and uris:
                            await connection.send_resource_list_changed()
                except Exception:  # closed or stuck connection: forget it
                    self.legacy.pop(connection, None)
                    break


async def announce(state: AppState, job: JobRecord | str, *, new: bool = False) -> None:
    """Tell listeners that a job (and so the job list) changed. Never raises.

    With a JobRecord, nothing is sent if its status and progress equal the last announcement.
    `new` also announces that the resource list changed (a job was added).
    """
    if state.notifier is not None:  # None: a state served by no server (unit tests)
        await state.notifier.announce(job, new=new)
