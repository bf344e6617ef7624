"""`PgDatabase`, the PostgreSQL side of the store's `Database` seam: a psycopg 3 connection
pool, short transactions, failures turned into one-sentence `StoreError`s that never carry
the URL's password, and the SQL in which PostgreSQL differs from SQLite.

The pool is synchronous on purpose: the store's interface is synchronous and the server
calls it from worker threads, as it does the SQLite store. Only the LISTEN connection of
`PostgresJobStore.listen` is asynchronous.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import psycopg
from psycopg.rows import RowMaker
from psycopg_pool import ConnectionPool, PoolTimeout

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._pg_schema import migrate

__all__ = ["CHANNEL", "PgDatabase", "redact"]

logger = logging.getLogger("pictory_mcp.jobs")

CHANNEL = "pictory_mcp_jobs"
"""The NOTIFY channel of job changes; each payload is `<owner>\\t<job_id>`."""

# How long a read that must not wait may still wait for a pooled connection (psycopg_pool
# refuses a zero timeout even when a connection is free).
_NOWAIT = 0.05
_FIX = "Check that PostgreSQL is running and that PICTORY_MCP_DB names it, then try again."


class _Row(tuple[Any, ...]):
    """A row readable by position and by column name, as `sqlite3.Row` is."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> _Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self._index[key])
        return super().__getitem__(key)


def _rows(cursor: Any) -> RowMaker[_Row]:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return functools.partial(_Row, index=index)


@functools.lru_cache(maxsize=256)
def _translate(sql: str) -> str:
    # The record logic writes sqlite3's `?`; psycopg takes `%s` and reads `%` as its own.
    return sql.replace("%", "%%").replace("?", "%s")


class _Conn:
    """A pooled connection inside one transaction, with sqlite3's `execute` shape."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Any = (), /) -> psycopg.Cursor[_Row]:
        cursor = self._conn.cursor(row_factory=_rows)
        cursor.execute(_translate(sql), tuple(parameters))
        return cursor


def redact(text: str, secrets: Sequence[str]) -> str:
    """`text` with every non-empty secret in it masked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def passwords_in(url: str) -> list[str]:
    """The password of a PostgreSQL URL, wherever it is written (user info or query)."""
    parts = urlsplit(url)
    found = [parts.password or "", unquote(parts.password or "")]
    found += [value for key, value in parse_qsl(parts.query) if key == "password"]
    return [secret for secret in found if secret]


class PgDatabase:
    """Connections to one PostgreSQL database, migrated when opened."""

    # Backend hooks: insertion order, row locks inside writes (so a status only moves
    # forward under concurrent writers), the video-name match of `search`.
    order = "seq"
    lock_clause = " FOR UPDATE"
    skip_locked = " FOR UPDATE SKIP LOCKED"
    # json, not jsonb: jsonb refuses some valid JSON text (an escaped NUL character).
    text_match = "strpos(lower(COALESCE(video_name, summary::json ->> 'video_name', '')), ?) > 0"

    def __init__(
        self,
        url: str,
        *,
        location: str,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.location = location
        self.timeout = timeout
        self._secrets = passwords_in(url)
        self._failure: str | None = None  # the last failure's sentence, until a call succeeds
        self._closed = False
        self._close_lock = threading.Lock()
        # A direct connection first: its failure says why (the pool's would only time out),
        # and the schema is ready before any pooled connection is used.
        with (
            self.failures("open the job store"),
            psycopg.connect(url, connect_timeout=max(1, round(timeout))) as conn,
        ):
            migrate(conn)
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            open=False,
            check=ConnectionPool.check_connection,  # a server restart must not fail a call
            name="pictory-mcp-jobs",
        )
        self._pool.open(wait=False)

    @staticmethod
    def fold(text: str) -> str:
        """`text` as `text_match` compares it: PostgreSQL's `lower` of the same text."""
        return text.lower()

    @staticmethod
    def prepare_search(conn: Any) -> None:
        """Nothing: `text_match` uses built-in functions."""

    @staticmethod
    def changed(conn: Any, owner: str, job_ids: Sequence[str]) -> None:
        """NOTIFY every listener, at commit, that these jobs of `owner` changed."""
        for job_id in dict.fromkeys(job_ids):
            conn.execute("SELECT pg_notify(?, ?)", (CHANNEL, f"{owner}\t{job_id}"))

    @staticmethod
    def exclusive(conn: Any, name: str) -> None:
        """A transaction-scoped advisory lock on `name`'s 64-bit hash, released at commit."""
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (name,))

    def redact(self, text: str) -> str:
        """`text` without this URL's password."""
        return redact(text, self._secrets)

    @contextmanager
    def failures(self, action: str) -> Iterator[None]:
        """Turn psycopg's errors into one sentence: what failed, why, what to do."""
        try:
            yield
        except psycopg.Error as exc:
            cause = self.redact(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
            cause = cause or type(exc).__name__
            self._failure = f"Could not {action} at {self.location}: {cause.rstrip('.')}. {_FIX}"
            raise StoreError(self._failure) from None
        self._failure = None

    def recent_failure(self) -> str | None:
        return self._failure

    @contextmanager
    def _connection(self, action: str, *, wait: bool = True) -> Iterator[_Conn | None]:
        if self._closed:
            raise StoreError(f"The job store at {self.location} is closed.")
        with self.failures(action), ExitStack() as stack:
            try:
                # Leaving the block commits, or rolls back when it raised.
                conn = stack.enter_context(self._pool.connection(None if wait else _NOWAIT))
            except PoolTimeout:
                if wait:
                    raise
                conn = None  # every connection is busy (or still being made): decline
            yield _Conn(conn) if conn is not None else None

    def reading(self, action: str) -> Any:
        return self._connection(action)

    def try_reading(self, action: str) -> Any:
        # A read never waits for writers in PostgreSQL (MVCC); only for a free connection,
        # which this declines to do.
        return self._connection(action, wait=False)

    def writing(self, action: str) -> Any:
        return self._connection(action)

    def ensure_open(self) -> None:
        with self.reading("reach the job store") as conn:
            conn.execute("SELECT 1")

    def connect_listener(self) -> Callable[[], Any]:
        """A function opening a dedicated autocommit `AsyncConnection` (for LISTEN)."""
        return functools.partial(psycopg.AsyncConnection.connect, self.url, autocommit=True)

    def close(self) -> None:
        with self._close_lock:
            if not self._closed:
                self._closed = True
                self._pool.close()
