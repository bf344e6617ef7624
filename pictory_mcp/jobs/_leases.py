"""Leases and named locks: which engine takes a job's next step, and which one sends the
next job-creating request of an account, with expiry, atomic across processes and replicas;
and the encrypted secrets each owner keeps in the store.

Expiry is wall-clock time (`_wall`), which every process reads the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._base import StoreBase, check_id
from pictory_mcp.jobs.records import UNFINISHED_STATUSES, JobRecord

__all__ = ["Leases"]


class Leases(StoreBase):
    """Leases on this owner's jobs; named locks and secrets, which are not scoped (a lock's
    name is an account's fingerprint; a secret names its owner)."""

    def claim(self, job_id: str, owner: str, ttl: float) -> bool:
        """Take or renew `owner`'s lease on the job for `ttl` seconds; False if another owner
        holds an unexpired one.

        One conditional UPDATE in one write transaction, so of any number of processes
        claiming at once exactly one wins. Expiry is wall-clock time, shared by processes.
        """
        job_id, owner = check_id(job_id), _check_owner(owner, ttl)
        with self._writing("claim the job") as conn:
            now = self._wall()
            taken = conn.execute(
                "UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE job_id = ? AND "
                "owner = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL "
                "OR lease_until <= ?)",
                (owner, now + ttl, job_id, self._owner, owner, now),
            ).rowcount
            if taken:
                return True
            if self._row(conn, job_id) is None:
                raise StoreError(
                    f"Job {job_id} is not in the local job history, so it cannot be "
                    "claimed; record it first."
                )
        return False

    def claim_next_unfinished(
        self, owner: str, ttl: float, kinds: Sequence[str] = ()
    ) -> JobRecord | None:
        """Lease to `owner` for `ttl` seconds the oldest unfinished job (of one of `kinds`, if
        given) that nobody holds an unexpired lease on, and return it; None when there is none.

        Engines calling this at once each get a different job: PostgreSQL skips rows another
        transaction is claiming (SKIP LOCKED); SQLite runs one write at a time.
        """
        owner = _check_owner(owner, ttl)
        marks = ", ".join("?" for _ in UNFINISHED_STATUSES)
        of_kind = f" AND kind IN ({', '.join('?' for _ in kinds)})" if kinds else ""
        query = (
            f"SELECT job_id FROM jobs WHERE owner = ? AND status IN ({marks}){of_kind} "  # noqa: S608
            "AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until <= ?) "
            f"ORDER BY created_at ASC, {self._db.order} ASC LIMIT 1{self._db.skip_locked}"
        )
        with self._writing("claim the next job") as conn:
            now = self._wall()
            row = conn.execute(query, (self._owner, *UNFINISHED_STATUSES, *kinds, now)).fetchone()
            if row is None:
                return None
            job_id = str(row[0])
            self._update(conn, job_id, {"lease_owner": owner, "lease_until": now + ttl})
            return self._row(conn, job_id)

    def release(self, job_id: str, owner: str) -> None:
        """Give up `owner`'s lease on the job; a lease held by anyone else is left alone."""
        job_id, owner = check_id(job_id), _check_owner(owner)
        with self._writing("release the job") as conn:
            conn.execute(
                "UPDATE jobs SET lease_owner = NULL, lease_until = NULL "
                "WHERE job_id = ? AND owner = ? AND lease_owner = ?",
                (job_id, self._owner, owner),
            )

    def claim_lock(self, name: str, owner: str, ttl: float) -> bool:
        """Take or renew the named lock for `owner` for `ttl` seconds; False while another
        owner holds it unexpired. Like `claim`, atomic across processes."""
        name, owner = check_id(name), _check_owner(owner, ttl)
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

    # -- secrets (the caller encrypts: the store only ever holds ciphertext) -----------------

    def put_secret(self, owner: str, name: str, value: bytes) -> None:
        """Keep `value` as `owner`'s secret `name`, replacing any earlier one."""
        if not isinstance(value, bytes):
            raise ValueError("value must be bytes (encrypted by the caller)")
        with self._writing("save a secret") as conn:
            conn.execute(
                "INSERT INTO secrets (owner, name, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (owner, name) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (owner, check_id(name), value, self._now()),
            )

    def get_secret(self, owner: str, name: str) -> bytes | None:
        """`owner`'s secret `name` as it was put, or None."""
        with self._reading("read a secret") as conn:
            row = conn.execute(
                "SELECT value FROM secrets WHERE owner = ? AND name = ?", (owner, check_id(name))
            ).fetchone()
        return bytes(row[0]) if row is not None else None

    def delete_secret(self, owner: str, name: str) -> bool:
        """Forget `owner`'s secret `name`; False when there was none."""
        with self._writing("delete a secret") as conn:
            deleted = conn.execute(
                "DELETE FROM secrets WHERE owner = ? AND name = ?", (owner, check_id(name))
            ).rowcount
        return bool(deleted)


def _check_owner(owner: str, ttl: float | None = None) -> str:
    """`owner` if it is a name; with `ttl`, also that a lease of it lasts some time."""
    if not isinstance(owner, str) or not owner.strip():
        raise ValueError("owner must be a non-empty string")
    if ttl is not None and not ttl > 0:
        raise ValueError("ttl must be a positive number of seconds")
    return owner
