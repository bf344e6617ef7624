"""`PostgresJobStore`: the job store of a team's server, shared by its replicas in PostgreSQL.

The same methods and semantics as the SQLite `JobStore` (the record logic is shared); the
methods are synchronous, over a connection pool, and the server calls them from worker
threads. Every write that changes a job also NOTIFYs, in its own transaction, so `listen()`
(asynchronous, on one dedicated connection) wakes each replica's waiters at commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any, ClassVar

import anyio
import psycopg

from pictory_mcp.jobs import describe_location
from pictory_mcp.jobs._pg import CHANNEL, PgDatabase
from pictory_mcp.jobs._pg_schema import PG_SCHEMA_VERSION as SCHEMA_VERSION
from pictory_mcp.jobs.store import JobRecords

__all__ = ["SCHEMA_VERSION", "PostgresJobStore"]

logger = logging.getLogger("pictory_mcp.jobs")

_FIRST_RETRY = 0.1  # seconds before reconnecting a lost LISTEN connection, doubling...
_LAST_RETRY = 5.0  # ...up to this
_KEEPALIVE = 30.0  # seconds of silence after which the LISTEN connection is checked


class PostgresJobStore(JobRecords):
    """Jobs in one PostgreSQL database (migrated when opened), shared by processes and
    replicas. Opening fails with StoreError (cause and fix, never the password) when the
    database cannot be reached."""

    supports_listen: ClassVar[bool] = True

    def __init__(
        self,
        url: str,
        *,
        min_size: int = 1,
        max_size: int = 10,
        clock: Callable[[], datetime] | None = None,
        wall: Callable[[], float] = time.time,
        timeout: float = 10.0,
    ) -> None:
        self._pg = PgDatabase(
            url,
            location=describe_location(url),
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
        )
        super().__init__(self._pg, clock=clock, wall=wall)

    @property
    def problem(self) -> str | None:
        """Always None: a database that cannot be reached fails the constructor or the call."""
        return None

    async def listen(self) -> AsyncIterator[tuple[str | None, str | None]]:
        """`(owner, job_id)` for every job changed by any store on this database, as each
        write commits; `(None, None)` after the connection was lost and made again, meaning
        that changes may have been missed: re-read the unfinished jobs.

        Runs until the consuming task is cancelled (or the iterator closed); it reconnects
        by itself, waiting longer after each failure up to a few seconds.
        """
        connect = self._pg.connect_listener()
        retry, missed = _FIRST_RETRY, False
        while True:
            conn: Any = None
            try:
                conn = await connect()
                await conn.execute(f"LISTEN {CHANNEL}")
                if missed:
                    yield None, None
                retry, missed = _FIRST_RETRY, False
                while True:
                    async for note in conn.notifies(timeout=_KEEPALIVE):
                        owner, _, job_id = note.payload.rpartition("\t")
                        yield owner, job_id
                    await conn.execute("SELECT 1")  # silence: is the connection alive?
            except psycopg.Error as exc:
                if not missed:
                    logger.warning(
                        "Lost the job store's change notifications from %s (%s); reconnecting.",
                        self.location,
                        self._pg.redact(str(exc).strip().splitlines()[0] if str(exc) else ""),
                    )
                missed = True
            finally:
                if conn is not None:
                    with anyio.CancelScope(shield=True):
                        await conn.close()
            await anyio.sleep(retry)
            retry = min(retry * 2, _LAST_RETRY)
