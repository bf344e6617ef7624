"""`JobStore`: the local SQLite history of Pictory jobs, safe across threads and processes.

Writes and reads of job records, and the leases that give one engine at a time the next
step of a job; the connection itself is `StoreCore`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._core import check_id
from pictory_mcp.jobs._rows import COLUMNS, dump_json, record_from_row
from pictory_mcp.jobs._submissions import SubmissionRecords
from pictory_mcp.jobs.records import EXTERNAL_KIND, UNFINISHED_STATUSES, JobRecord, status_rank

__all__ = ["JobStore"]

_MAX_LIMIT = 1000


class JobStore(SubmissionRecords):
    """History of submitted jobs in one SQLite file (created with its folder if missing)."""

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
        job_id = check_id(job_id)
        new_payload = dump_json(payload or {})
        new_summary = dump_json(summary or {})
        with self._writing("record the submission") as conn:
            existing = self._row(conn, job_id)
            now = self._now()
            if video_name is None and parent_id:
                # A workflow's step jobs (transcription, highlights, render) carry its name.
                parent = self._row(conn, check_id(parent_id))
                video_name = parent.video_name if parent else None
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
        job_id = check_id(job_id)
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
        job_id = check_id(job_id)
        with self._writing(action) as conn:
            if self._row(conn, job_id) is None:
                raise StoreError(f"Job {job_id} is not in the local job history.")
            self._update(conn, job_id, {column: value, "updated_at": self._now()})
            record = self._row(conn, job_id)
        assert record is not None
        return record

    # -- leases ------------------------------------------------------------------------------

    def claim(self, job_id: str, owner: str, ttl: float) -> bool:
        """Take or renew `owner`'s lease on the job for `ttl` seconds; False if another owner
        holds an unexpired one.

        One conditional UPDATE in one write transaction, so of any number of processes
        claiming at once exactly one wins. Expiry is wall-clock time, shared by processes.
        """
        job_id, owner = check_id(job_id), _check_owner(owner)
        if not ttl > 0:
            raise ValueError("ttl must be a positive number of seconds")
        with self._writing("claim the job") as conn:
            now = self._wall()
            taken = conn.execute(
                "UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE job_id = ? AND "
                "(lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL "
                "OR lease_until <= ?)",
                (owner, now + ttl, job_id, owner, now),
            ).rowcount
            if taken:
                return True
            if conn.execute("SELECT 1 FROM jobs WHERE job_id = ?", (job_id,)).fetchone() is None:
                raise StoreError(
                    f"Job {job_id} is not in the local job history, so it cannot be "
                    "claimed; record it first."
                )
        return False

    def release(self, job_id: str, owner: str) -> None:
        """Give up `owner`'s lease on the job; a lease held by anyone else is left alone."""
        job_id, owner = check_id(job_id), _check_owner(owner)
        with self._writing("release the job") as conn:
            conn.execute(
                "UPDATE jobs SET lease_owner = NULL, lease_until = NULL "
                "WHERE job_id = ? AND lease_owner = ?",
                (job_id, owner),
            )

    def claim_lock(self, name: str, owner: str, ttl: float) -> bool:
        """Take or renew the named lock for `owner` for `ttl` seconds; False while another
        owner holds it unexpired. Like `claim`, atomic across processes."""
        name, owner = check_id(name), _check_owner(owner)
        if not ttl > 0:
            raise ValueError("ttl must be a positive number of seconds")
        with self._writing("take a lock") as conn:
            now = self._wall()
            taken = conn.execute(
                "INSERT INTO locks (name, owner, until) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until "
                "WHERE locks.owner = excluded.owner OR locks.until <= ?",
                (name, owner, now + ttl, now),
            ).rowcount
        return bool(taken)

    def release_lock(self, name: str, owner: str) -> None:
        """Give up `owner`'s named lock; a lock held by anyone else is left alone."""
        name, owner = check_id(name), _check_owner(owner)
        with self._writing("release a lock") as conn:
            conn.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))

    # -- reads -------------------------------------------------------------------------------

    def get(self, job_id: str) -> JobRecord | None:
        """The record for `job_id`, or None if this history has never seen it."""
        with self._reading("read the job") as conn:
            return self._row(conn, check_id(job_id))

    def get_nowait(self, job_id: str) -> tuple[bool, JobRecord | None]:
        """`(True, get(job_id))` when the store is free right now, else `(False, None)`.

        A read in WAL mode never waits for other processes, so an event loop may call this
        directly; it only declines when another thread of this process holds the store
        (a write that may be waiting on another process's lock) or when the history is not
        open yet, never blocking.
        """
        if not self._lock.acquire(blocking=False):
            return False, None
        try:
            if self._conn is None and not self._closed:
                return False, None  # opening may wait on a lock: a worker thread's job
            with self._reading("read the job") as conn:
                return True, self._row(conn, check_id(job_id))
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
        where, params = _where(kind, status, parent_id)
        query = (
            f"SELECT {COLUMNS} FROM jobs{where} "  # noqa: S608
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
        where, params = _where(kind, status, parent_id)
        with self._reading("count jobs") as conn:
            row = conn.execute(f"SELECT COUNT(*) FROM jobs{where}", params).fetchone()  # noqa: S608
        return int(row[0])

    def search(
        self,
        *,
        statuses: Sequence[str] = (),
        kind: str | None = None,
        since: str | None = None,
        before: str | None = None,
        text: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[JobRecord], int]:
        """One page of the jobs an agent started, newest first, and how many match in all.

        A workflow's child jobs are left out (their workflow stands for them); `since` and
        `before` are ISO-8601 UTC timestamps compared with `created_at`; `text` is looked for
        in the video name, ignoring case (Unicode case folding, not only ASCII).
        """
        if limit < 1 or offset < 0:
            raise ValueError("limit must be at least 1 and offset at least 0")
        clauses = ["parent_id IS NULL"]
        params: list[Any] = []
        if statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
            params.extend(statuses)
        for clause, value in (("kind = ?", kind), ("created_at >= ?", since)):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        if before is not None:
            clauses.append("created_at < ?")
            params.append(before)
        if text:
            # The name is in its own column, or (older records) only in the summary sent.
            clauses.append(
                "instr(pm_fold(COALESCE(video_name, json_extract(summary, '$.video_name'), "
                "'')), ?) > 0"
            )
            params.append(text.casefold())
        where = " WHERE " + " AND ".join(clauses)
        query = (
            f"SELECT {COLUMNS} FROM jobs{where} "  # noqa: S608
            "ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?"
        )
        with self._reading("list jobs") as conn:
            conn.create_function("pm_fold", 1, _fold, deterministic=True)
            rows = conn.execute(query, (*params, min(limit, _MAX_LIMIT), offset)).fetchall()
            total = conn.execute(f"SELECT COUNT(*) FROM jobs{where}", params).fetchone()  # noqa: S608
        return [record_from_row(row) for row in rows], int(total[0])

    def unfinished(self) -> list[JobRecord]:
        """Jobs still submitted or in progress, oldest first (the order to resume polling)."""
        marks = ", ".join("?" for _ in UNFINISHED_STATUSES)
        query = (
            f"SELECT {COLUMNS} FROM jobs WHERE status IN ({marks}) "  # noqa: S608
            "ORDER BY created_at ASC, rowid ASC"
        )
        with self._reading("list unfinished jobs") as conn:
            rows = conn.execute(query, UNFINISHED_STATUSES).fetchall()
        return [record_from_row(row) for row in rows]


def _fold(value: object) -> str:
    return str(value).casefold() if value is not None else ""


def _check_owner(owner: str) -> str:
    if not isinstance(owner, str) or not owner.strip():
        raise ValueError("owner must be a non-empty string")
    return owner


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
