"""`JobStore`: the local SQLite history of Pictory jobs, safe across threads and processes.

One connection per store guarded by a lock (callers arrive from worker threads); WAL and a
busy timeout let several processes share the file; every write is one short transaction.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._rows import dump_json, record_from_row
from pictory_mcp.jobs._schema import migrate
from pictory_mcp.jobs.records import EXTERNAL_KIND, UNFINISHED_STATUSES, JobRecord, status_rank

__all__ = ["JobStore"]

_COLUMNS = (
    "job_id, kind, status, progress, created_at, updated_at, payload, summary, "
    "result, error, parent_id, steps, video_name, local_path"
)
_MAX_LIMIT = 1000
_FIX = "Check the file, or set PICTORY_MCP_DB to a writable path."


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _check_id(job_id: str) -> str:
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValueError("job_id must be a non-empty string")
    return job_id.strip()


class JobStore:
    """History of submitted jobs in one SQLite file (created with its folder if missing).

    `clock` returns the current time (UTC); tests pass their own to order records.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        busy_timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path).expanduser() if str(path) != ":memory:" else Path(path)
        self._busy_timeout = busy_timeout
        self._clock = clock or _utc_now
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = self._open()

    def __repr__(self) -> str:
        return f"JobStore({str(self.path)!r})"

    # -- lifecycle ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        in_memory = str(self.path) == ":memory:"
        try:
            if not in_memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                str(self.path),
                timeout=self._busy_timeout,
                isolation_level=None,  # autocommit; transactions are explicit below
                check_same_thread=False,  # shared across threads under self._lock
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Cannot open the job history at {self.path}: {exc}. {_FIX}") from exc
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            self._use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                migrate(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(self._failure("open the job history", exc)) from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        # Switching a file to WAL needs an exclusive lock and SQLite answers "locked" at
        # once, without its busy handler, while another process is migrating the new
        # file; so retry here until the busy timeout. WAL then persists in the file.
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc) or "busy" in str(exc)
                if not locked or time.monotonic() >= deadline:
                    raise
            time.sleep(0.02)

    def close(self) -> None:
        """Close the connection; later calls raise StoreError. Closing twice is harmless."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> JobStore:
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
        if "locked" in str(exc) or "busy" in str(exc):
            return (
                f"Could not {action}: the job history at {self.path} stayed locked by another "
                f"process for {self._busy_timeout:g} s. Try again."
            )
        return f"Could not {action} at {self.path}: {exc}. {_FIX}"

    def _now(self) -> str:
        now = self._clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return now.astimezone(timezone.utc).isoformat(timespec="microseconds")

    @staticmethod
    def _row(conn: sqlite3.Connection, job_id: str) -> JobRecord | None:
        row = conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE job_id = ?", (job_id,)).fetchone()  # noqa: S608
        return record_from_row(row) if row is not None else None

    @staticmethod
    def _update(conn: sqlite3.Connection, job_id: str, changes: Mapping[str, Any]) -> None:
        # Column names come from this module only, never from callers.
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(
            f"UPDATE jobs SET {assignments} WHERE job_id = ?",  # noqa: S608
            (*changes.values(), job_id),
        )

    # -- writes ------------------------------------------------------------------------------

    def record_submission(
        self,
        job_id: str,
        kind: str,
        payload: Mapping[str, Any] | None,
        summary: Mapping[str, Any] | None,
        *,
        parent_id: str | None = None,
        video_name: str | None = None,
    ) -> JobRecord:
        """Remember a job Pictory accepted. Idempotent on `job_id`.

        A repeat keeps `created_at` and status, and only fills what the first call left
        empty (payload, summary, parent, video name, or a kind of "external").
        """
        job_id = _check_id(job_id)
        new_payload = dump_json(payload or {})
        new_summary = dump_json(summary or {})
        with self._writing("record the submission") as conn:
            existing = self._row(conn, job_id)
            now = self._now()
            if existing is None:
                conn.execute(
                    "INSERT INTO jobs (job_id, kind, status, created_at, updated_at, payload, "
                    "summary, parent_id, video_name) VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, ?)",
                    (job_id, kind, now, now, new_payload, new_summary, parent_id, video_name),
                )
            else:
                changes: dict[str, Any] = {}
                if not existing.payload and new_payload != "{}":
                    changes["payload"] = new_payload
                if not existing.summary and new_summary != "{}":
                    changes["summary"] = new_summary
                if existing.parent_id is None and parent_id:
                    changes["parent_id"] = parent_id
                if existing.video_name is None and video_name:
                    changes["video_name"] = video_name
                if existing.kind == EXTERNAL_KIND and kind != EXTERNAL_KIND:
                    changes["kind"] = kind
                if changes:
                    changes["updated_at"] = now
                    self._update(conn, job_id, changes)
            record = self._row(conn, job_id)
        assert record is not None
        return record

    def update_status(
        self,
        job_id: str,
        status: str,
        *,
        progress: float | None = None,
        result: Mapping[str, Any] | None = None,
        error: Mapping[str, Any] | None = None,
    ) -> JobRecord:
        """Record what Pictory last said about a job; None leaves a field as it was.

        A status never moves backwards (a late "in-progress" after "completed" is ignored).
        A job not in the history (submitted elsewhere) is added with kind "external".
        """
        job_id = _check_id(job_id)
        if not status:
            raise ValueError("status must be a non-empty string")
        with self._writing("update the job status") as conn:
            existing = self._row(conn, job_id)
            now = self._now()
            if existing is None:
                conn.execute(
                    "INSERT INTO jobs (job_id, kind, status, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (job_id, EXTERNAL_KIND, status, now, now),
                )
            elif status_rank(status) < status_rank(existing.status):
                return existing
            changes: dict[str, Any] = {"status": status, "updated_at": now}
            if progress is not None:
                changes["progress"] = float(progress)
            elif status == "completed":
                changes["progress"] = 100.0
            if result is not None:
                changes["result"] = dump_json(result)
            if error is not None:
                changes["error"] = dump_json(error)
            self._update(conn, job_id, changes)
            record = self._row(conn, job_id)
        assert record is not None
        return record

    def update_steps(self, job_id: str, steps: Sequence[Mapping[str, Any]]) -> JobRecord:
        """Replace the step list of a multi-step workflow job."""
        return self._set(job_id, "steps", dump_json([dict(step) for step in steps]), "update steps")

    def set_local_path(self, job_id: str, path: Path | str) -> JobRecord:
        """Remember where the job's video was downloaded."""
        return self._set(job_id, "local_path", str(path), "record the download path")

    def _set(self, job_id: str, column: str, value: Any, action: str) -> JobRecord:
        job_id = _check_id(job_id)
        with self._writing(action) as conn:
            if self._row(conn, job_id) is None:
                raise StoreError(f"Job {job_id} is not in the local job history.")
            self._update(conn, job_id, {column: value, "updated_at": self._now()})
            record = self._row(conn, job_id)
        assert record is not None
        return record

    # -- reads -------------------------------------------------------------------------------

    def get(self, job_id: str) -> JobRecord | None:
        """The record for `job_id`, or None if this history has never seen it."""
        with self._reading("read the job") as conn:
            return self._row(conn, _check_id(job_id))

    def get_nowait(self, job_id: str) -> tuple[bool, JobRecord | None]:
        """`(True, get(job_id))` when the store is free right now, else `(False, None)`.

        A read in WAL mode never waits for other processes, so an event loop may call this
        directly; it only declines when another thread of this process holds the store
        (a write that may be waiting on another process's lock), never blocking.
        """
        if not self._lock.acquire(blocking=False):
            return False, None
        try:
            with self._reading("read the job") as conn:
                return True, self._row(conn, _check_id(job_id))
        finally:
            self._lock.release()

    def list_recent(
        self,
        limit: int = 20,
        offset: int = 0,
        kind: str | None = None,
        status: str | None = None,
        *,
        parent_id: str | None = None,
    ) -> list[JobRecord]:
        """Jobs newest first, optionally only one kind, status or parent."""
        if limit < 1 or offset < 0:
            raise ValueError("limit must be at least 1 and offset at least 0")
        where, params = self._where(kind, status, parent_id)
        query = (
            f"SELECT {_COLUMNS} FROM jobs{where} "  # noqa: S608
            "ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?"
        )
        with self._reading("list jobs") as conn:
            rows = conn.execute(query, (*params, min(limit, _MAX_LIMIT), offset)).fetchall()
        return [record_from_row(row) for row in rows]

    def count(
        self,
        kind: str | None = None,
        status: str | None = None,
        *,
        parent_id: str | None = None,
    ) -> int:
        """How many jobs match the same filters as `list_recent`."""
        where, params = self._where(kind, status, parent_id)
        with self._reading("count jobs") as conn:
            row = conn.execute(f"SELECT COUNT(*) FROM jobs{where}", params).fetchone()  # noqa: S608
        return int(row[0])

    def unfinished(self) -> list[JobRecord]:
        """Jobs still submitted or in progress, oldest first (the order to resume polling)."""
        marks = ", ".join("?" for _ in UNFINISHED_STATUSES)
        query = (
            f"SELECT {_COLUMNS} FROM jobs WHERE status IN ({marks}) "  # noqa: S608
            "ORDER BY created_at ASC, rowid ASC"
        )
        with self._reading("list unfinished jobs") as conn:
            rows = conn.execute(query, UNFINISHED_STATUSES).fetchall()
        return [record_from_row(row) for row in rows]

    @staticmethod
    def _where(
        kind: str | None, status: str | None, parent_id: str | None
    ) -> tuple[str, tuple[str, ...]]:
        clauses: list[str] = []
        params: list[str] = []
        for column, value in (("kind", kind), ("status", status), ("parent_id", parent_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)
