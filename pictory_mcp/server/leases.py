"""Leases this server process holds in the job history, and the task that keeps them alive.

A lease says "this process is working on that record" to every other process and replica that
shares the history: a workflow step being taken, a job-creating request being sent. It is
taken atomically by the store (`JobStore.claim`), renewed by one background task while held,
and released when the work ends, even when it is cancelled. A process that dies stops renewing,
so its leases expire after `ttl` seconds and another process can see that the work was cut off.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import anyio

from pictory_mcp import api
from pictory_mcp.errors import PictoryMCPError

if TYPE_CHECKING:
    from pictory_mcp.api import PictoryClient
    from pictory_mcp.jobs.store import JobRecords

__all__ = ["LeaseKeeper"]

logger = logging.getLogger("pictory_mcp.server.leases")


class LeaseKeeper:
    """Takes, renews and releases this process's leases (as `owner`, for `ttl` seconds)."""

    def __init__(self, store: JobRecords, owner: str, ttl: float) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.store, self.owner, self.ttl = store, owner, ttl
        self._held: dict[str, int] = {}
        self._locks: set[str] = set()

    @property
    def held(self) -> frozenset[str]:
        return frozenset(self._held)

    async def claim(self, job_id: str) -> bool:
        """Take the lease on `job_id` (renewed until `release`); False if another owner has it."""
        if not await anyio.to_thread.run_sync(self.store.claim, job_id, self.owner, self.ttl):
            return False
        self._held[job_id] = self._held.get(job_id, 0) + 1
        return True

    async def release(self, job_id: str) -> None:
        """Give the lease back (shielded: a cancelled caller still releases it)."""
        count = self._held.get(job_id, 0) - 1
        if count > 0:
            self._held[job_id] = count
            return
        self._held.pop(job_id, None)
        with anyio.CancelScope(shield=True):
            try:
                await anyio.to_thread.run_sync(self.store.release, job_id, self.owner)
            except PictoryMCPError as exc:  # it expires by itself
                logger.warning("could not release the lease on %s: %s", job_id, exc)

    def adopt(self, job_id: str) -> None:
        """Renew a lease the store gave `owner` along with a write (e.g. a new placeholder)."""
        self._held[job_id] = self._held.get(job_id, 0) + 1

    def forget(self, job_id: str) -> None:
        """Stop renewing a lease the store has cleared along with a write."""
        self._held.pop(job_id, None)

    @asynccontextmanager
    async def holding(self, job_id: str) -> AsyncIterator[bool]:
        """Hold the lease for the block; yields False (and holds nothing) if it is taken."""
        if not await self.claim(job_id):
            yield False
            return
        try:
            yield True
        finally:
            await self.release(job_id)

    @asynccontextmanager
    async def locked(self, name: str, *, poll: float = 0.2) -> AsyncIterator[None]:
        """Hold the named lock (shared by every process on the history) for the block, waiting
        for it while another process holds it; renewed while held, released even when the
        block is cancelled."""
        store, owner, ttl = self.store, self.owner, self.ttl
        # Another process holds it: nothing can signal its release across processes, so poll.
        while not await anyio.to_thread.run_sync(store.claim_lock, name, owner, ttl):  # noqa: ASYNC110
            await anyio.sleep(poll)
        self._locks.add(name)
        try:
            yield
        finally:
            self._locks.discard(name)
            with anyio.CancelScope(shield=True):
                try:
                    await anyio.to_thread.run_sync(store.release_lock, name, owner)
                except PictoryMCPError as exc:  # it expires by itself
                    logger.warning("could not release the lock %s: %s", name, exc)

    @asynccontextmanager
    async def account_turn(self, client: PictoryClient) -> AsyncIterator[None]:
        """One job-creating request at a time per Pictory account (API key): within this
        process, and across every process and replica sharing the store, so that a job found
        in Pictory's list after a failed request is never another request's. Create calls and
        workflow steps take it alike."""
        async with api.submit.submit_lock(client), self.locked(client.submit_lock_name):
            yield

    async def run(self) -> None:
        """Renew every held lease every third of its lifetime, until cancelled."""
        while True:
            await anyio.sleep(self.ttl / 3)
            await self.renew_all()

    async def renew_all(self) -> None:
        store, owner, ttl = self.store, self.owner, self.ttl
        for job_id in list(self._held):
            if job_id not in self._held:  # released meanwhile: renewing would take it again
                continue
            try:
                if not await anyio.to_thread.run_sync(store.claim, job_id, owner, ttl):
                    # Expired and taken by another process (after a long sleep, say): this
                    # process checks its lease again before it sends anything for that job.
                    logger.warning("the lease on %s was lost to another process", job_id)
            except PictoryMCPError as exc:  # a busy history: the next round tries again
                logger.warning("could not renew the lease on %s: %s", job_id, exc)
        for name in list(self._locks):
            try:
                await anyio.to_thread.run_sync(store.claim_lock, name, owner, ttl)
            except PictoryMCPError as exc:
                logger.warning("could not renew the lock %s: %s", name, exc)
