"""What every tool call can reach: settings, the Pictory client, the job store, caches, the
process's background work; and the helpers to reach it from a call (`app_state`, `read_record`,
`in_thread`)."""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from pictory_mcp.errors import ConfigurationError
from pictory_mcp.server.background import Background
from pictory_mcp.server.leases import LeaseKeeper
from pictory_mcp.server.polls import PollTracker
from pictory_mcp.server.submissions import Submitter

if TYPE_CHECKING:
    from mcp.server.mcpserver import Context

    from pictory_mcp.api import PictoryClient
    from pictory_mcp.api.models.responses import Voice
    from pictory_mcp.api.submit import SubmitPolicy
    from pictory_mcp.config import Settings
    from pictory_mcp.jobs import JobRecord
    from pictory_mcp.jobs.store import JobRecords
    from pictory_mcp.server.notify import Notifier
    from pictory_mcp.server.outputs import JobView
    from pictory_mcp.server.tenancy import Tenants
    from pictory_mcp.server.workflow_engine import WorkflowEngine

T = TypeVar("T")

# Hosted mode: the caller's tenant for the call being served (set where every tool call and
# resource read passes, in `PictoryServer`); None in single-user mode.
CURRENT_TENANT: ContextVar[AppState | None] = ContextVar("pictory_mcp_tenant", default=None)

NO_KEY_MESSAGE = (
    "No Pictory API key is configured. Get one at https://app.pictory.ai/api-access "
    "(needs a Pictory API subscription), then set PICTORY_API_KEY in this server's "
    "environment (your MCP client's config for this server) and restart it. To try "
    "everything without an account, start the server with --sandbox."
)


def new_owner_id() -> str:
    """A name for this process in job-history leases: host, pid and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class TimedCache:
    """One cached value with an expiry; refreshed under a lock so concurrent calls fetch once."""

    ttl: float
    value: Any = None
    fetched_at: float = -1.0
    lock: anyio.Lock = field(default_factory=anyio.Lock)

    def fresh(self) -> bool:
        return self.value is not None and time.monotonic() - self.fetched_at < self.ttl

    def put(self, value: Any) -> None:
        self.value = value
        self.fetched_at = time.monotonic()


@dataclass
class AppState:
    """Lifespan state shared by all tool calls of one server process."""

    settings: Settings
    store: JobRecords  # SQLite or PostgreSQL, scoped to the user in hosted mode
    # Made on first use, so that start-up imports no HTTP stack (desktop clients spawn the
    # server often and wait for tools/list); `None` when no key is configured.
    client_factory: Callable[[], PictoryClient] | None
    base_url: str
    sandbox_url: str | None = None
    # Who this server process is in leases it takes in the job history, and how long a lease
    # lasts unless renewed: a process that dies loses its claims after at most this long.
    owner: str = field(default_factory=lambda: new_owner_id())
    lease_seconds: float = 60.0
    voices: TimedCache = field(default_factory=lambda: TimedCache(ttl=600.0))
    lookups: dict[str, TimedCache] = field(default_factory=dict)
    # When each job was last polled, and which polls are in flight.
    polls: PollTracker[JobView] = field(default_factory=PollTracker)
    _client: PictoryClient | None = None
    # The workflow engine (server/workflow_engine.py), set while the process runs it.
    engine: WorkflowEngine | None = None
    # How hard job-creating calls try (api/submit.py); None: its default.
    submit_policy: SubmitPolicy | None = None
    # Announces job changes to the server's listening clients (server/notify.py).
    notifier: Notifier | None = None
    # The process's background task group (server/background.py): tool calls and
    # job-creating requests run there.
    background: Background = field(default_factory=Background)
    # Hosted mode: the user this state serves and their Pictory account (a key fingerprint);
    # both empty for the single user. The process state holds the replica's tenants.
    user: str = ""
    account: str = ""
    tenants: Tenants | None = None
    leases: LeaseKeeper = field(init=False)
    submitter: Submitter = field(init=False)

    def __post_init__(self) -> None:
        self.leases = LeaseKeeper(self.store, self.owner, self.lease_seconds)
        self.submitter = Submitter(self)

    def require_client(self) -> PictoryClient:
        """The client, or the one message that tells the user how to configure a key."""
        if self._client is None:
            if self.client_factory is None:
                raise ConfigurationError(NO_KEY_MESSAGE)
            self._client = self.client_factory()
        return self._client

    async def aclose(self) -> None:
        """Close the client if one was made."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    async def voice_catalog(self) -> list[Voice]:
        """The voice list, cached for `voice_cache_seconds`."""
        cache = self.voices
        if cache.fresh():
            return list(cache.value)
        async with cache.lock:
            if not cache.fresh():
                cache.put(await self.require_client().list_voices())
        return list(cache.value)

    async def lookup(self, kind: str, fetch: Any) -> list[Any]:
        """A cached catalogue list (brands, text styles, ...) fetched with `fetch()`."""
        cache = self.lookups.setdefault(kind, TimedCache(ttl=self.voices.ttl))
        if cache.fresh():
            return list(cache.value)
        async with cache.lock:
            if not cache.fresh():
                cache.put(await fetch())
        return list(cache.value)


def app_state(ctx: Context[Any, Any]) -> AppState:
    """The state serving this tool call: the process's, or in hosted mode the caller's tenant."""
    tenant = CURRENT_TENANT.get()
    if tenant is not None:
        return tenant
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
