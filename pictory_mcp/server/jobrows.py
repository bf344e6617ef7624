"""The job history as compact rows, the one shape `list_jobs` and `pictory://jobs` share:
id, name, kind, status, created, video_url — the rest is one `check_job(job_id, detail=true)`
or `pictory://jobs/{job_id}` read away."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

from pictory_mcp.errors import InputError
from pictory_mcp.jobs import JobRecord

__all__ = ["STATUS_FILTERS", "created_bound", "job_row"]

# What an agent filters by, in the statuses it is shown; a request still being sent (or whose
# outcome is unknown) is not finished, so it counts as in progress.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "in-progress": ("submitting", "submitted", "in-progress"),
    "completed": ("completed",),
    "failed": ("failed",),
    "cleaned": ("cleaned",),
}

_AGE_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def job_row(record: JobRecord, now: float | None = None) -> dict[str, Any]:
    """One job in a few fields, empty ones left out."""
    name = record.video_name or record.summary.get("video_name")
    row = {
        "job_id": record.job_id,
        "name": name if isinstance(name, str) else None,
        "kind": record.kind,
        "status": _status(record, time.time() if now is None else now),
        "created": record.created_at[:19] + "Z",
        "video_url": record.result.get("video_url"),
    }
    return {k: v for k, v in row.items() if v is not None}


def _status(record: JobRecord, now: float) -> str:
    if record.status == "submitted":
        return "in-progress"
    if record.status == "submitting" and (record.error or not record.lease_held(now)):
        # Its sender gave up or stopped: nobody can tell whether Pictory made the video.
        return "unknown"
    return record.status


def created_bound(value: str, argument: str, now: datetime | None = None) -> str:
    """`value` (an ISO date or time, UTC unless it says otherwise, or an age such as 24h, 7d,
    30m) as the history's timestamp text, for comparing with `created_at`."""
    text = value.strip()
    unit = _AGE_UNITS.get(text[-1:].lower())
    if unit and text[:-1].isdigit():
        moment = (now or datetime.now(timezone.utc)) - timedelta(**{unit: int(text[:-1])})
    else:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise InputError(
                f"{argument} must be a date such as 2025-06-01, a UTC time such as "
                f"2025-06-01T14:00:00, or an age such as 24h or 7d; got {value!r}."
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
