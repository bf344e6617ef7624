"""The tenants of one replica as running things: each one's state, the background loops it runs
(lease renewal, record retries, its workflow engine) in a cancel scope of its own, and their
retirement — a stored key replaced or removed, a per-request key pushed out of the cache — which
stops those loops and closes the tenant's Pictory client, so an old key is never spent again.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
from mcp.server.auth.middleware.auth_context import auth_context_var

from pictory_mcp.server.notify import Notifier
from pictory_mcp.server.state import CURRENT_TENANT, AppState
from pictory_mcp.server.submissions import CLIENT_IDEMPOTENCY_KEY
from pictory_mcp.server.workflow_engine import engine_of

__all__ = ["TenantTable", "key_fingerprint"]

logger = logging.getLogger("pictory_mcp.server.hosted")


def key_fingerprint(key: str) -> str:
    """A short, non-reversible name for a Pictory key (logs, tenant slots, workflow accounts)."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class _Tenant:
    state: AppState
    scope: anyio.CancelScope


class TenantTable:
    """Tenants made with stored keys (one per user and key), and with per-request header keys
    (the `header_limit` most recently used, the oldest retired)."""

    def __init__(
        self, process: AppState, make_client: Callable[[str], Any], header_limit: int
    ) -> None:
        self.process = process
        self._make_client = make_client
        self._header_limit = header_limit
        self._stored: dict[str, _Tenant] = {}
        self._header: OrderedDict[str, _Tenant] = OrderedDict()

    def get(self, user: str, key: str, *, header: bool) -> AppState | None:
        table = self._header if header else self._stored
        slot = f"{user}:{key_fingerprint(key)}"
        tenant = table.get(slot)
        if tenant is None:
            return None
        if header:
            self._header.move_to_end(slot)
        return tenant.state

    async def open(self, user: str, key: str, *, header: bool) -> AppState:
        """A new tenant for `user` with `key`, its loops started; with a stored key, the
        user's tenants of other stored keys are retired (the key was replaced)."""
        slot = f"{user}:{key_fingerprint(key)}"
        tenant = _Tenant(self._state(user, key), anyio.CancelScope())
        if header:
            self._header[slot] = tenant
            while len(self._header) > self._header_limit:
                old, _ = next(iter(self._header.items()))
                await self._retire(self._header, old, "its per-request key was not used lately")
        else:
            for other in [s for s in self._stored if s.startswith(f"{user}:") and s != slot]:
                await self._retire(self._stored, other, "its stored key was replaced")
            self._stored[slot] = tenant
        self._start(tenant)
        return tenant.state

    async def retire_stale(self, user: str, key: str | None) -> None:
        """Retire `user`'s stored-key tenants whose key is no longer `key` (None: removed)."""
        keep = f"{user}:{key_fingerprint(key)}" if key is not None else None
        for slot in [s for s in self._stored if s.startswith(f"{user}:") and s != keep]:
            await self._retire(self._stored, slot, "its stored key was replaced or removed")

    def stored_users(self) -> set[str]:
        return {slot.rsplit(":", 1)[0] for slot in self._stored}

    def of_user(self, user: str) -> list[AppState]:
        prefix = f"{user}:"
        return [
            t.state
            for table in (self._stored, self._header)
            for slot, t in list(table.items())
            if slot.startswith(prefix)
        ]

    def all(self) -> list[AppState]:
        return [t.state for t in (*self._stored.values(), *self._header.values())]

    async def aclose(self) -> None:
        for state in self.all():
            await state.aclose()

    def _state(self, user: str, key: str) -> AppState:
        process = self.process
        account = key_fingerprint(key)
        state = AppState(
            settings=process.settings,
            store=process.store.scoped(user),
            client_factory=lambda: self._make_client(key),
            base_url=process.base_url,
            sandbox_url=process.sandbox_url,
            # A name of its own in leases and locks: two tenants of one replica (two users on
            # one Pictory account, one user's stored and per-request key) exclude each other.
            owner=f"{process.owner}/{secrets.token_hex(4)}",
            lease_seconds=process.lease_seconds,
            background=process.background,
            submit_policy=process.submit_policy,
            notifier=Notifier(),
            account=account,
            user=user,
        )
        state.voices.ttl = process.voices.ttl
        assert process.notifier is not None and state.notifier is not None
        process.notifier.adopt(state.notifier, user)
        return state

    def _start(self, tenant: _Tenant) -> None:
        """Run the tenant's loops in the process's task group, in a context of their own:
        not the request's that made the tenant (its caller, its idempotency key)."""
        state = tenant.state

        async def run() -> None:
            with tenant.scope:
                async with anyio.create_task_group() as group:
                    group.start_soon(state.leases.run)
                    group.start_soon(state.submitter.retry_records)
                    group.start_soon(engine_of(state).run)

        context = contextvars.copy_context()
        for var in (CURRENT_TENANT, CLIENT_IDEMPOTENCY_KEY, auth_context_var):
            context.run(var.set, None)
        context.run(self.process.background.start, run)

    async def _retire(self, table: dict[str, _Tenant], slot: str, why: str) -> None:
        tenant = table.pop(slot)
        tenant.scope.cancel()  # requests being sent are shielded and finish first
        await tenant.state.aclose()
        logger.info("a tenant of user %s stopped: %s", slot[:10], why)
