"""`StoreCore`, what every `JobStore` call goes through: the connection, its lock, and
short transactions that turn SQLite failures into one-sentence `StoreError`s."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._opening import failure, open_connection
from pictory_mcp.jobs._rows import record_from_row
from pictory_mcp.jobs.records import JobRecord

__all__ = ["COLUMNS", "StoreCore", "check_id"]

COLUMNS = (
    "job_id, kind, status, progress, created_at, updated_at, payload, summary, "
    "result, error, parent_id, steps, video_name, local_path, lease_owner, lease_until"
)


_Store = TypeVar("_Store", bound="StoreCore")


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def check_id(job_id: str) -> str:
    """`job_id` without surrounding blanks; an empty or non-text id is a ValueError."""
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValueError("job_id must be a non-empty string")
    return job_id.strip()


class StoreCore:
    """One connection per store guarded by a lock (callers arrive from worker threads); WAL
    and a busy timeout let several processes share the file; every write is one short
    transaction.

    `clock` returns the current time (UTC) for the records' timestamps; `wall` returns
    epoch seconds for leases, which other processes must read the same way. Tests pass
    their own of either.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        busy_timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path).expanduser() if str(path) != ":memory:" else Path(path)
        self._busy_timeout = busy_timeout
        self._clock = clock or _utc_now
        self._wall = wall
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = open_connection(self.path, busy_timeout)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def close(self) -> None:
        """Close the connection; later calls raise StoreError. Closing twice is harmless."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self: _Store) -> _Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"The job history at {self.path} is closed.")
        return self._conn

    @contextmanager
    def _reading(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise StoreError(self._failure(action, exc)) from exc

    @contextmanager
    def _writing(self, action: str) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies;
        # a deferred transaction upgrading from read to write could fail at once instead.
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(self._failure(action, exc)) from exc

    def _failure(self, action: str, exc: sqlite3.Error) -> str:
        return failure(self.path, action, exc, self._busy_timeout)

    def _now(self) -> str:
        now = self._clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return now.astimezone(timezone.utc).isoformat(timespec="microseconds")

    @staticmethod
    def _row(conn: sqlite3.Connection, job_id: str) -> JobRecord | None:
        row = conn.execute(f"SELECT {COLUMNS} FROM jobs WHERE job_id = ?", (job_id,)).fetchone()  # noqa: S608
        return record_from_row(row) if row is not None else None

    @staticmethod
    def _update(conn: sqlite3.Connection, job_id: str, changes: Mapping[str, Any]) -> None:
        # Column names come from this package only, never from callers.
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(
            f"UPDATE jobs SET {assignments} WHERE job_id = ?",  # noqa: S608
            (*changes.values(), job_id),
        )
