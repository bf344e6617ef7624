"""Cancelled tasks: a client following a job as a task (the MCP tasks extension) may cancel the
task. Pictory cannot cancel a job, so the job itself is left alone; what is kept is the fact
that this owner's task was cancelled, and when, so every process and replica answers for the
task the same way afterwards and none polls the job on its behalf.
"""

from __future__ import annotations

from pictory_mcp.jobs._base import StoreBase, check_id

__all__ = ["TaskRecords"]


class TaskRecords(StoreBase):
    """The cancellations of this owner's tasks (a task's id is the id of the job it follows)."""

    def cancel_task(self, task_id: str) -> str:
        """Record that this owner cancelled `task_id`; returns when (the first cancellation's
        time when it was cancelled before)."""
        task_id = check_id(task_id)
        with self._writing("cancel the task") as conn:
            conn.execute(
                "INSERT INTO cancelled_tasks (owner, task_id, cancelled_at) VALUES (?, ?, ?) "
                "ON CONFLICT (owner, task_id) DO NOTHING",
                (self._owner, task_id, self._now()),
            )
            row = conn.execute(
                "SELECT cancelled_at FROM cancelled_tasks WHERE owner = ? AND task_id = ?",
                (self._owner, task_id),
            ).fetchone()
        return str(row[0])

    def task_cancelled(self, task_id: str) -> str | None:
        """When this owner cancelled `task_id`, or None if they never did."""
        task_id = check_id(task_id)
        with self._reading("read the task") as conn:
            row = conn.execute(
                "SELECT cancelled_at FROM cancelled_tasks WHERE owner = ? AND task_id = ?",
                (self._owner, task_id),
            ).fetchone()
        return str(row[0]) if row is not None else None
