"""`JobStore`: the local SQLite history of Pictory jobs, safe across threads and processes;
and `JobRecords`, the writes of job records both backends share.

Reads are `RecordReads`', leases and locks `Leases`', placeholders `SubmissionRecords'`
(and the minutes they claim, `SpendRecords'`), webhooks `HookRecords'`, cancelled tasks
`TaskRecords'`; the
SQLite connection itself is `SqliteDatabase`'s.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._base import Conn, check_id
from pictory_mcp.jobs._core import SqliteDatabase
from pictory_mcp.jobs._hooks import HookRecords
from pictory_mcp.jobs._leases import Leases
from pictory_mcp.jobs._reads import RecordReads
from pictory_mcp.jobs._rows import dump_json
from pictory_mcp.jobs._spend import settled_minutes
from pictory_mcp.jobs._submissions import SubmissionRecords
from pictory_mcp.jobs._tasks import TaskRecords
from pictory_mcp.jobs.records import EXTERNAL_KIND, JobRecord, SpendClaim, status_rank

__all__ = ["JobRecords", "JobStore"]


class JobRecords(SubmissionRecords, Leases, HookRecords, TaskRecords, RecordReads):
    """Every method of a job store, on whichever `Database` it was given."""

    def record_submission(
        self,
        job_id: str,
        kind: str,
        payload: Mapping[str, Any] | None,
        summary: Mapping[str, Any] | None,
        *,
        parent_id: str | None = None,
        video_name: str | None = None,
        spend: SpendClaim | None = None,
    ) -> JobRecord:
        """Remember a job Pictory accepted (or a workflow about to start). Idempotent on
        `job_id`.

        A repeat keeps `created_at` and status, and only fills what the first call left
        empty (payload, summary, parent, video name, or a kind of "external"). `spend` is
        claimed by a new record only, as `begin_submission` claims it (OverDailyCap).
        """
        job_id = check_id(job_id)
        new_payload = dump_json(payload or {})
        new_summary = dump_json(summary or {})
        with self._writing("record the submission") as conn:
            spent = self._spend_check(conn, spend)
            now = self._now()
            if video_name is None and parent_id:
                # A workflow's step jobs (transcription, highlights, render) carry its name.
                parent = self._row(conn, check_id(parent_id))
                video_name = parent.video_name if parent else None
            existing = self._locked_or_inserted(
                conn,
                "INSERT INTO jobs (job_id, kind, status, created_at, updated_at, payload, "
                "summary, parent_id, video_name, spend_minutes, owner) "
                "VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    kind,
                    now,
                    now,
                    new_payload,
                    new_summary,
                    parent_id,
                    video_name,
                    spend.minutes if spend is not None else None,
                ),
            )
            if existing is None:
                self._spend_verdict(spend, spent)
                self._changed(conn, job_id)
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
                    self._changed(conn, job_id)
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
            now = self._now()
            existing = self._locked_or_inserted(
                conn,
                "INSERT INTO jobs (job_id, kind, status, created_at, updated_at, owner) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (job_id, EXTERNAL_KIND, status, now, now),
            )
            if existing is not None and status_rank(status) < status_rank(existing.status):
                return existing
            changes: dict[str, Any] = {"status": status, "updated_at": now}
            if progress is not None:
                changes["progress"] = float(progress)
            elif status == "completed":
                changes["progress"] = 100.0
            if result is not None:
                changes["result"] = dump_json(result)
            if status == "completed" and existing is not None:
                settled = settled_minutes(existing.spend_minutes, result)
                if settled is not None:
                    changes["spend_minutes"] = settled
            if error is not None:
                changes["error"] = dump_json(error)
            self._update(conn, job_id, changes)
            self._changed(conn, job_id)
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
            if self._row(conn, job_id, lock=True) is None:
                raise StoreError(f"Job {job_id} is not in the local job history.")
            self._update(conn, job_id, {column: value, "updated_at": self._now()})
            self._changed(conn, job_id)
            record = self._row(conn, job_id)
        assert record is not None
        return record

    def _locked_or_inserted(
        self, conn: Conn, insert: str, values: tuple[Any, ...]
    ) -> JobRecord | None:
        """This owner's record of the job `values[0]`, locked until commit; or None once
        `insert` (whose last parameter, the owner, is added here) has created it.

        A concurrent writer inserting the same job first makes ours do nothing and read
        theirs; a job id another owner holds stays theirs (StoreError), never duplicated.
        """
        job_id = str(values[0])
        existing = self._row(conn, job_id, lock=True)
        if existing is not None:
            return existing
        if conn.execute(f"{insert} ON CONFLICT DO NOTHING", (*values, self._owner)).rowcount:
            return None
        existing = self._row(conn, job_id, lock=True)
        if existing is None:
            raise StoreError(
                f"Job {job_id} is not in the job history of this account; check the job id."
            )
        return existing


class JobStore(JobRecords):
    """History of submitted jobs in one SQLite file (created with its folder if missing).

    A history that cannot be used (damaged, a folder, another program's file, an unwritable
    place) does not fail the constructor: `problem` says why, and every call raises
    StoreError with that cause and its fix until the cause is gone.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        busy_timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._sqlite = SqliteDatabase(path, busy_timeout=busy_timeout)
        super().__init__(self._sqlite, clock=clock, wall=wall)
        self.path = self._sqlite.path
        self._lock = self._sqlite.lock

    @property
    def problem(self) -> str | None:
        """Why the history could not be opened (cause and fix), or None once it is open."""
        return self._sqlite.problem

    supports_listen = False

    def _connection(self) -> sqlite3.Connection:
        return self._sqlite._connection()
