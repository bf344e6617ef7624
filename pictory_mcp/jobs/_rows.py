"""Conversion between `JobRecord` and rows of the jobs table, whose JSON columns are scrubbed."""

from __future__ import annotations

import json
from typing import Any

from pictory_mcp.jobs.records import JobRecord, scrub

__all__ = ["COLUMNS", "dump_json", "record_from_row"]

COLUMNS = (
    "job_id, kind, status, progress, created_at, updated_at, payload, summary, "
    "result, error, parent_id, steps, video_name, local_path, lease_owner, lease_until, "
    "spend_minutes"
)


def dump_json(value: Any) -> str:
    """Scrubbed JSON text (key order kept) for one of the JSON columns."""
    # default=str: an odd value (a Path, a datetime) must not lose the history entry.
    return json.dumps(scrub(value), ensure_ascii=False, default=str)


def _load(text: str | None, fallback: Any) -> Any:
    if text is None:
        return fallback
    try:
        value = json.loads(text)
    except ValueError:
        return fallback
    return value if isinstance(value, type(fallback)) else fallback


def record_from_row(row: Any) -> JobRecord:
    """A `JobRecord` from a row of the jobs table (of either backend, indexable by column
    name); unreadable JSON reads as empty."""
    error = _load(row["error"], {}) if row["error"] is not None else None
    return JobRecord(
        job_id=row["job_id"],
        kind=row["kind"],
        status=row["status"],
        progress=row["progress"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        payload=_load(row["payload"], {}),
        summary=_load(row["summary"], {}),
        result=_load(row["result"], {}),
        error=error or None,
        parent_id=row["parent_id"],
        steps=[s for s in _load(row["steps"], []) if isinstance(s, dict)],
        video_name=row["video_name"],
        local_path=row["local_path"],
        lease_owner=row["lease_owner"],
        lease_until=row["lease_until"],
        spend_minutes=row["spend_minutes"],
    )
