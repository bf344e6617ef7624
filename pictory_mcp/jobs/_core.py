"""`StoreCore`, what every `JobStore` call goes through: the connection, its lock, and
short transactions that turn SQLite failures into one-sentence `StoreError`s."""

from __future__ import annotations

import logging
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
from pictory_mcp.jobs._opening import failure, file_id, open_connection
from pictory_mcp.jobs._rows import record_from_row
from pictory_mcp.jobs.records import JobRecord

__all__ = ["COLUMNS", "StoreCore", "check_id"]

COLUMNS = (
    "job_id, kind, status, progress, created_at, updated_at, payload, summary, "
    "result, error, parent_id, steps, video_name, local_path, lease_owner, lease_until"
)


_Store = TypeVar("_Store", bound="StoreCore")
logger = logging.getLogger("pictory_mcp.jobs")


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

    A history that cannot be used (damaged, a folder, another program's file, an unwritable
    place) does not fail the constructor: `problem` says why, every call raises StoreError
    with that cause and its fix, and each call first tries to open the file again, so a file
    moved aside or a lock released is picked up without a restart.
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
        self._conn: sqlite3.Connection | None = None
        self._problem: str | None = None
        self._closed = False
        self._file: tuple[int, int] | None = None  # (device, inode) of the file opened
        with self._lock:
            self._open()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    @property
    def problem(self) -> str | None:
        """Why the history cannot be used (cause and fix), or None while it can."""
        return self._problem

    def ensure_open(self) -> None:
        """Raise StoreError (cause and fix) unless the history can be used now; a caller about
        to spend money checks this first, so that nothing is paid for that cannot be recorded."""
        with self._lock:
            self._connection()

    def _open(self) -> bool:
        """Try to open the file; on failure remember (and log, once per cause) why."""
        try:
            conn = open_connection(self.path, self._busy_timeout)
        except StoreError as exc:
            if str(exc) != self._problem:
                logger.warning("%s", exc)
            self._problem = str(exc)
            return False
        if self._problem is not None:
            logger.warning("The job history at %s can be used again.", self.path)
        self._conn, self._problem = conn, None
        self._file = None if str(self.path) == ":memory:" else file_id(self.path)
        return True

    def close(self) -> None:
        """Close the connection; later calls raise StoreError. Closing twice is harmless."""
        with self._lock:
            self._closed = True
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
        if self._closed:
            raise StoreError(f"The job history at {self.path} is closed.")
        if self._conn is None and not self._open():
            raise StoreError(self._problem)
        assert self._conn is not None
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
