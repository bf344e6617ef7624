"""Records of job-creating requests in flight: a placeholder written before the request is sent,
turned into the job's own record once Pictory names the job.

A placeholder has the request's tracking id as its `job_id`, status "submitting", and a lease
held by the sending process, so any process reading the history can tell a request still being
sent (lease held) from one cut off by a crash (lease expired). Once Pictory answers, the
placeholder becomes the job's record in one transaction, and the tracking id stays on it
(`tracking_id`) so an agent holding only the tracking id still finds the job.

Just before the request goes out, the placeholder notes when (`sent_at`), under the sender's
lease: of a placeholder whose sender died, a reader can then tell a request that certainly
never left (no `sent_at`: any process may send it) from one that may have reached Pictory.

A request may carry a deduplication key (from the user, the tool and its canonical
arguments): a second placeholder with the same key within the window is refused by a unique
index, so a retried or duplicated call finds the first job instead of paying again, across
processes and replicas.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._base import Conn, check_id
from pictory_mcp.jobs._rows import COLUMNS, dump_json, record_from_row
from pictory_mcp.jobs._spend import SpendRecords
from pictory_mcp.jobs.records import DuplicateSubmission, JobRecord, SpendClaim

__all__ = ["SubmissionRecords"]

SUBMITTING = "submitting"


class SubmissionRecords(SpendRecords):
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
        dedup_key: str | None = None,
        dedup_window: float = 0.0,
        spend: SpendClaim | None = None,
    ) -> JobRecord:
        """Write the placeholder, leased by `owner` for `ttl` seconds, before anything is sent.

        With `dedup_key`: if this store's owner has a record with the same key created less
        than `dedup_window` seconds ago, nothing is written and DuplicateSubmission carries
        that record. Of any number of processes beginning one key at once, exactly one wins.
        With `spend`: the placeholder carries its minutes, and a claim past its daily cap
        writes nothing (OverDailyCap); of claims made at once, those that fit together pass.
        """
        tracking_id = check_id(tracking_id)
        columns = (
            "job_id, kind, status, created_at, updated_at, payload, summary, parent_id, "
            "video_name, lease_owner, lease_until, owner, dedup_key, dedup_at, spend_minutes"
        )
        with self._writing("record the submission") as conn:
            spent = self._spend_check(conn, spend)
            now, wall = self._now(), self._wall()
            values = (
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
                wall + ttl,
                self._owner,
                dedup_key,
                wall if dedup_key is not None else None,
                spend.minutes if spend is not None else None,
            )
            insert = f"INSERT INTO jobs ({columns}) VALUES ({', '.join('?' for _ in values)})"  # noqa: S608
            if dedup_key is None:
                conn.execute(insert, values)
            else:
                self._claim_key(conn, insert, values, dedup_key, wall - dedup_window)
            self._spend_verdict(spend, spent)
            self._changed(conn, tracking_id)
            record = self._row(conn, tracking_id)
        assert record is not None
        return record

    def _claim_key(
        self, conn: Conn, insert: str, values: tuple[Any, ...], key: str, expired: float
    ) -> None:
        # An older record keeps the job but gives up the key, so the unique index lets the
        # new placeholder in; then the insert either wins the key or meets the record that did.
        conn.execute(
            "UPDATE jobs SET dedup_key = NULL WHERE owner = ? AND dedup_key = ? AND dedup_at <= ?",
            (self._owner, key, expired),
        )
        if conn.execute(insert + " ON CONFLICT DO NOTHING", values).rowcount:
            return
        row = conn.execute(
            f"SELECT {COLUMNS} FROM jobs WHERE owner = ? AND dedup_key = ?",  # noqa: S608
            (self._owner, key),
        ).fetchone()
        if row is not None:
            raise DuplicateSubmission(record_from_row(row))
        raise StoreError(
            f"Could not record the submission: the tracking id {values[0]} is already in the "
            "job history; send the request again with a new tracking id."
        )

    def resolve_submission(
        self, tracking_id: str, job_id: str, *, adopted: bool = False
    ) -> JobRecord:
        """Make the placeholder the record of Pictory's job `job_id` (idempotent).

        If another request already holds that job (an adoption that found someone else's job),
        the placeholder is kept, marked unknown, and returned: its `job_id` is still the
        tracking id."""
        tracking_id, job_id = check_id(tracking_id), check_id(job_id)
        with self._writing("record the submitted job") as conn:
            placeholder = self._row(conn, tracking_id, lock=True)
            existing = self._row(conn, job_id, lock=True)
            if placeholder is None:
                if existing is not None:
                    return existing  # resolved already
                raise StoreError(f"No submission {tracking_id} in the job history.")
            summary = dict(placeholder.summary)
            if adopted:
                summary["adopted"] = True
            now = self._now()
            claimed_by = existing_tracking_id(conn, job_id, self._owner)
            if existing is None and self._taken_elsewhere(conn, job_id):
                claimed_by = "of another user"
            if claimed_by not in (None, tracking_id):
                # Adopted from Pictory's job list, but another request (of this owner or of
                # another one sharing the Pictory account) holds that job: whose it is cannot
                # be told. Keep both; ours says so.
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
                self._changed(conn, tracking_id)
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
                # A poll recorded the job first (as "external"): it takes the request's details,
                # and its deduplication key once the placeholder has let go of it.
                dedup = conn.execute(
                    "SELECT dedup_key, dedup_at FROM jobs WHERE job_id = ? AND owner = ?",
                    (tracking_id, self._owner),
                ).fetchone()
                conn.execute(
                    "DELETE FROM jobs WHERE job_id = ? AND owner = ?", (tracking_id, self._owner)
                )
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
                        "dedup_key": dedup["dedup_key"],
                        "dedup_at": dedup["dedup_at"],
                        "spend_minutes": placeholder.spend_minutes,
                        "updated_at": now,
                    },
                )
            self._changed(conn, job_id, tracking_id)
            record = self._row(conn, job_id)
        assert record is not None
        return record

    def mark_submission_sent(self, tracking_id: str, owner: str, before: Sequence[str]) -> bool:
        """Note that the request goes out now, after Pictory listed `before` (its newest job
        ids); False (and nothing noted) unless `owner` still holds the placeholder's lease:
        then another process took the request over and this one must not send it."""
        tracking_id = check_id(tracking_id)
        with self._writing("record that the request is being sent") as conn:
            wall = self._wall()
            noted = conn.execute(
                "UPDATE jobs SET sent_at = ?, sent_before = ? WHERE job_id = ? AND owner = ? "
                "AND status = ? AND error IS NULL AND lease_owner = ? AND lease_until > ?",
                (wall, dump_json(list(before)), tracking_id, self._owner, SUBMITTING, owner, wall),
            ).rowcount
        return bool(noted)

    def submission_sent(self, tracking_id: str) -> tuple[bool, list[str] | None]:
        """Whether the placeholder's request went out (or may have), and if so the job ids
        Pictory listed just before (None when not known)."""
        tracking_id = check_id(tracking_id)
        with self._reading("read the submission") as conn:
            row = conn.execute(
                "SELECT sent_at, sent_before FROM jobs WHERE job_id = ? AND owner = ?",
                (tracking_id, self._owner),
            ).fetchone()
        if row is None:
            return True, None
        before = json.loads(row[1]) if row[1] is not None else None
        return row[0] is not None, [str(i) for i in before] if isinstance(before, list) else None

    def recorded_job_ids(self, job_ids: Sequence[str]) -> set[str]:
        """Which of `job_ids` are recorded jobs, whoever's (a job found in an account's list
        after a stopped request is not that request's if another request recorded it)."""
        if not job_ids:
            return set()
        marks = ", ".join("?" for _ in job_ids)
        with self._reading("read the recorded jobs") as conn:
            rows = conn.execute(
                f"SELECT job_id FROM jobs WHERE job_id IN ({marks})",  # noqa: S608
                tuple(job_ids),
            ).fetchall()
        return {str(row[0]) for row in rows}

    def abandon_submission(self, tracking_id: str) -> None:
        """Forget a placeholder whose request certainly created nothing."""
        tracking_id = check_id(tracking_id)
        with self._writing("forget the submission") as conn:
            deleted = conn.execute(
                "DELETE FROM jobs WHERE job_id = ? AND status = ? AND owner = ?",
                (tracking_id, SUBMITTING, self._owner),
            ).rowcount
            if deleted:
                self._changed(conn, tracking_id)

    def mark_submission_unknown(self, tracking_id: str, error: Mapping[str, Any]) -> JobRecord:
        """Keep a placeholder whose outcome nobody can tell, with why and what to do."""
        tracking_id = check_id(tracking_id)
        with self._writing("record the submission's unknown outcome") as conn:
            if self._row(conn, tracking_id, lock=True) is None:
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
            self._changed(conn, tracking_id)
            record = self._row(conn, tracking_id)
        assert record is not None
        return record

    def _taken_elsewhere(self, conn: Conn, job_id: str) -> bool:
        """True when `job_id` is recorded, but not for this store's owner."""
        row = conn.execute(
            "SELECT 1 FROM jobs WHERE job_id = ? AND owner <> ?", (job_id, self._owner)
        ).fetchone()
        return row is not None

    def get_by_tracking_id(self, tracking_id: str) -> JobRecord | None:
        """The record of the job a tracking id became, or its placeholder, or None."""
        tracking_id = check_id(tracking_id)
        with self._reading("read the submission") as conn:
            row = conn.execute(
                f"SELECT {COLUMNS} FROM jobs WHERE (job_id = ? OR tracking_id = ?) "  # noqa: S608
                "AND owner = ? ORDER BY job_id = ? LIMIT 1",
                (tracking_id, tracking_id, self._owner, tracking_id),
            ).fetchone()
        return record_from_row(row) if row is not None else None


def existing_tracking_id(conn: Conn, job_id: str, owner: str) -> str | None:
    """The tracking id that `owner`'s record of `job_id` carries, if any."""
    row = conn.execute(
        "SELECT tracking_id FROM jobs WHERE job_id = ? AND owner = ?", (job_id, owner)
    ).fetchone()
    return str(row[0]) if row is not None and row[0] is not None else None
