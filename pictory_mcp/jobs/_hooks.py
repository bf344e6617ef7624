"""Webhook registrations: each job-creating request may carry a URL of its own that Pictory
calls when the job finishes. The URL's secret is kept only as a hash, so the store cannot
hand out a working URL; `target` is the id the server follows (a request's tracking id, or a
workflow's id), so the hook still leads to the job once Pictory has named it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pictory_mcp.jobs._base import StoreBase, check_id

__all__ = ["Hook", "HookRecords"]


@dataclass(frozen=True)
class Hook:
    """One registered webhook: whose it is, what it leads to, and its secret's hash."""

    hook_id: str
    owner: str
    target: str
    secret_hash: str
    account: str | None = None


class HookRecords(StoreBase):
    """Add a hook for this store's owner; find any owner's hook by its id (the caller checks
    the secret); tell whether a job is followed through a hook."""

    def add_hook(
        self, hook_id: str, secret_hash: str, target: str, *, account: str | None = None
    ) -> None:
        """Register a hook of this store's owner leading to `target`."""
        hook_id, target = check_id(hook_id), check_id(target)
        if not secret_hash:
            raise ValueError("secret_hash must not be empty")
        with self._writing("register the webhook") as conn:
            conn.execute(
                "INSERT INTO webhooks (hook_id, owner, target, secret_hash, account, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (hook_id, self._owner, target, secret_hash, account, self._now()),
            )

    def find_hook(self, hook_id: str) -> Hook | None:
        """The hook named `hook_id`, whoever owns it (a webhook call names no user)."""
        hook_id = check_id(hook_id)
        with self._reading("look up the webhook") as conn:
            row = conn.execute(
                "SELECT hook_id, owner, target, secret_hash, account FROM webhooks "
                "WHERE hook_id = ?",
                (hook_id,),
            ).fetchone()
        if row is None:
            return None
        return Hook(str(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4])

    def hooked(self, job_id: str) -> bool:
        """Whether this owner registered a hook leading to `job_id`, or to the tracking id of
        the request that became it."""
        job_id = check_id(job_id)
        with self._reading("look up the webhook") as conn:
            row = conn.execute(
                "SELECT 1 FROM webhooks WHERE owner = ? AND (target = ? OR target = "
                "(SELECT tracking_id FROM jobs WHERE job_id = ? AND owner = ?)) LIMIT 1",
                (self._owner, job_id, job_id, self._owner),
            ).fetchone()
        return row is not None
