"""Records of job-creating requests in flight: a placeholder written before the request is sent,
turned into the job's own record once Pictory names the job.

A placeholder has the request's tracking id as its `job_id`, status "submitting", and a lease
held by the sending process, so any process reading the history can tell a request still being
sent (lease held) from one cut off by a crash (lease expired). Once Pictory answers, the
placeholder becomes the job's record in one transaction, and the tracking id stays on it
(`tracking_id`) so an agent holding only the tracking id still finds the job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._core import StoreCore, check_id
from pictory_mcp.jobs._rows import COLUMNS, dump_json, record_from_row
from pictory_mcp.jobs.records import JobRecord

__all__ = ["SubmissionRecords"]

SUBMITTING = "submitting"


class SubmissionRecords(StoreCore):
    """The placeholder life cycle: begin, then resolve (accepted), abandon (certainly not
    created) or mark unknown (nobody can tell)."""

    def begin_submission(
        self,
        tracking_id: str,
        kind: str,
        payload: Mapping[str, Any] | None,
        summary: Mapping[str, Any] | None,
        *,
        owner: str,
        ttl: float,
        video_name: str | None = None,
        parent_id: str | None = None,
    ) -> JobRecord:
        """Write the placeholder, leased by `owner` for `ttl` seconds, before anything is sent."""
        tracking_id = check_id(tracking_id)
        with self._writing("record the submission") as conn:
            now = self._now()
            conn.execute(
                "INSERT INTO jobs (job_id, kind, status, created_at, updated_at, payload, "
                "summary, parent_id, video_name, lease_owner, lease_until) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tracking_id,
                    kind,
                    SUBMITTING,
                    now,
                    now,
                    dump_json(payload or {}),
                    dump_json(summary or {}),
                    parent_id,
                    video_name,
                    owner,
                    self._wall() + ttl,
                ),
            )
            record = self._row(conn, tracking_id)
        assert record is not None
        return record

    def resolve_submission(
        self, tracking_id: str, job_id: str, *, adopted: bool = False
    ) -> JobRecord:
        """Make the placeholder the record of Pictory's job `job_id` (idempotent).

        If another request already holds that job (an adoption that found someone else's job),
        the placeholder is kept, marked unknown, and returned: its `job_id` is still the
        tracking id."""
        tracking_id, job_id = check_id(tracking_id), check_id(job_id)
        with self._writing("record the submitted job") as conn:
            placeholder = self._row(conn, tracking_id)
            existing = self._row(conn, job_id)
            if placeholder is None:
                if existing is not None:
                    return existing  # resolved already
                raise StoreError(f"No submission {tracking_id} in the job history.")
            summary = dict(placeholder.summary)
            if adopted:
                summary["adopted"] = True
            now = self._now()
            claimed_by = _tracking_id_of(conn, job_id)
            if existing is not None and claimed_by not in (None, tracking_id):
                # Adopted from Pictory's job list, but another request of this history holds
                # that job: whose it is cannot be told. Keep both; ours says so.
                error = {
                    "code": "SUBMIT_OUTCOME_UNKNOWN",
                    "message": (
                        f"Pictory may or may not have created this video: the only new job "
                        f"found after the failed request, {job_id}, belongs to another "
                        f"request ({claimed_by})."
                    ),
                    "fix": "Do not submit it again yet: in a few minutes, look for the new "
                    "video in the user's Pictory account; submit again only if none was started.",
                }
                self._update(
                    conn,
                    tracking_id,
                    {
                        "error": dump_json(error),
                        "lease_owner": None,
                        "lease_until": None,
                        "updated_at": now,
                    },
                )
                record = self._row(conn, tracking_id)
                assert record is not None
                return record
            if existing is None:
                self._update(
                    conn,
                    tracking_id,
                    {
                        "job_id": job_id,
                        "tracking_id": tracking_id,
                        "status": "submitted",
                        "summary": dump_json(summary),
                        "error": None,
                        "lease_owner": None,
                        "lease_until": None,
                        "updated_at": now,
                    },
                )
            else:
                # A poll recorded the job first (as "external"): it takes the request's details.
                conn.execute("DELETE FROM jobs WHERE job_id = ?", (tracking_id,))
                self._update(
                    conn,
                    job_id,
                    {
                        "kind": placeholder.kind,
                        "tracking_id": tracking_id,
                        "payload": dump_json(placeholder.payload),
                        "summary": dump_json(summary),
                        "parent_id": existing.parent_id or placeholder.parent_id,
                        "video_name": existing.video_name or placeholder.video_name,
                        "updated_at": now,
                    },
                )
            record = self._row(conn, job_id)
        assert record is not None
        return record

    def abandon_submission(self, tracking_id: str) -> None:
        """Forget a placeholder whose request certainly created nothing."""
        tracking_id = check_id(tracking_id)
        with self._writing("forget the submission") as conn:
            conn.execute(
                "DELETE FROM jobs WHERE job_id = ? AND status = ?", (tracking_id, SUBMITTING)
            )

    def mark_submission_unknown(self, tracking_id: str, error: Mapping[str, Any]) -> JobRecord:
        """Keep a placeholder whose outcome nobody can tell, with why and what to do."""
        tracking_id = check_id(tracking_id)
        with self._writing("record the submission's unknown outcome") as conn:
            if self._row(conn, tracking_id) is None:
                raise StoreError(f"No submission {tracking_id} in the job history.")
            self._update(
                conn,
                tracking_id,
                {
                    "error": dump_json(dict(error)),
                    "lease_owner": None,
                    "lease_until": None,
                    "updated_at": self._now(),
                },
            )
            record = self._row(conn, tracking_id)
        assert record is not None
        return record

    def get_by_tracking_id(self, tracking_id: str) -> JobRecord | None:
        """The record of the job a tracking id became, or its placeholder, or None."""
        tracking_id = check_id(tracking_id)
        with self._reading("read the submission") as conn:
            row = conn.execute(
                f"SELECT {COLUMNS} FROM jobs WHERE job_id = ? OR tracking_id = ? "  # noqa: S608
                "ORDER BY job_id = ? LIMIT 1",
                (tracking_id, tracking_id, tracking_id),
            ).fetchone()
        return record_from_row(row) if row is not None else None


def _tracking_id_of(conn: Any, job_id: str) -> str | None:
    row = conn.execute("SELECT tracking_id FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
    return str(row[0]) if row is not None and row[0] is not None else None
