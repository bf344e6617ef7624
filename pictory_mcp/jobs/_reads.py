"""`RecordReads`: the reads of a store's job records, each confined to the store's owner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pictory_mcp.jobs._base import StoreBase, check_id
from pictory_mcp.jobs._rows import COLUMNS, record_from_row
from pictory_mcp.jobs.records import UNFINISHED_STATUSES, JobRecord

__all__ = ["RecordReads"]

_MAX_LIMIT = 1000


class RecordReads(StoreBase):
    """Reads of one owner's jobs, plus the one read across owners a resuming server needs."""

    def get(self, job_id: str) -> JobRecord | None:
        """The record for `job_id`, or None if this history has never seen it."""
        with self._reading("read the job") as conn:
            return self._row(conn, check_id(job_id))

    def get_nowait(self, job_id: str) -> tuple[bool, JobRecord | None]:
        """`(True, get(job_id))` when the store is free right now, else `(False, None)`.

        An event loop may call this directly: it declines instead of waiting (SQLite: while
        another thread of this process holds the store, or before the history is open;
        PostgreSQL, whose reads never wait for writers: while no pooled connection is free).
        """
        job_id = check_id(job_id)
        with self._db.try_reading("read the job") as conn:
            if conn is None:
                return False, None
            return True, self._row(conn, job_id)

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
            f"SELECT {COLUMNS} FROM jobs{where} "  # noqa: S608
            f"ORDER BY created_at DESC, {self._db.order} DESC LIMIT ? OFFSET ?"
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
        in the video name, ignoring case (Unicode case folding on SQLite; PostgreSQL's
        lower case on its UTF-8 locale).
        """
        if limit < 1 or offset < 0:
            raise ValueError("limit must be at least 1 and offset at least 0")
        clauses = ["owner = ?", "parent_id IS NULL"]
        params: list[Any] = [self._owner]
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
            clauses.append(self._db.text_match)
            params.append(self._db.fold(text))
        where = " WHERE " + " AND ".join(clauses)
        query = (
            f"SELECT {COLUMNS} FROM jobs{where} "  # noqa: S608
            f"ORDER BY created_at DESC, {self._db.order} DESC LIMIT ? OFFSET ?"
        )
        with self._reading("list jobs") as conn:
            self._db.prepare_search(conn)
            rows = conn.execute(query, (*params, min(limit, _MAX_LIMIT), offset)).fetchall()
            total = conn.execute(f"SELECT COUNT(*) FROM jobs{where}", params).fetchone()  # noqa: S608
        return [record_from_row(row) for row in rows], int(total[0])

    def unfinished(self) -> list[JobRecord]:
        """Jobs still submitted or in progress, oldest first (the order to resume polling)."""
        marks = ", ".join("?" for _ in UNFINISHED_STATUSES)
        query = (
            f"SELECT {COLUMNS} FROM jobs WHERE owner = ? AND status IN ({marks}) "  # noqa: S608
            f"ORDER BY created_at ASC, {self._db.order} ASC"
        )
        with self._reading("list unfinished jobs") as conn:
            rows = conn.execute(query, (self._owner, *UNFINISHED_STATUSES)).fetchall()
        return [record_from_row(row) for row in rows]

    def owners_with_unfinished(self) -> list[str]:
        """Every owner (of any scope) with jobs still submitted or in progress, sorted: whose
        `unfinished()` a server resuming background work reads."""
        marks = ", ".join("?" for _ in UNFINISHED_STATUSES)
        query = f"SELECT DISTINCT owner FROM jobs WHERE status IN ({marks}) ORDER BY owner"  # noqa: S608
        with self._reading("list unfinished jobs") as conn:
            rows = conn.execute(query, UNFINISHED_STATUSES).fetchall()
        return [str(row[0]) for row in rows]

    def _where(
        self, kind: str | None, status: str | None, parent_id: str | None
    ) -> tuple[str, tuple[str, ...]]:
        clauses = ["owner = ?"]
        params = [self._owner]
        for column, value in (("kind", kind), ("status", status), ("parent_id", parent_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " WHERE " + " AND ".join(clauses), tuple(params)
