"""Job history: a record of every Pictory job the server submitted or watched, in a local
SQLite file (`JobStore`) or, for a team on several replicas, in PostgreSQL
(`PostgresJobStore`, imported only when a PostgreSQL URL is opened).

Knows nothing of MCP or HTTP; the server calls it from worker threads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from pictory_mcp._locations import is_postgres_url, sqlite_path
from pictory_mcp.jobs._hooks import Hook
from pictory_mcp.jobs._schema import SCHEMA_VERSION
from pictory_mcp.jobs._spend import check_claim
from pictory_mcp.jobs.records import (
    EXTERNAL_KIND,
    FINISHED_STATUSES,
    UNFINISHED_STATUSES,
    DuplicateSubmission,
    JobRecord,
    OverDailyCap,
    SpendClaim,
    scrub,
)
from pictory_mcp.jobs.store import JobStore

if TYPE_CHECKING:
    from pictory_mcp.jobs.postgres import PostgresJobStore

__all__ = [
    "EXTERNAL_KIND",
    "FINISHED_STATUSES",
    "SCHEMA_VERSION",
    "UNFINISHED_STATUSES",
    "DuplicateSubmission",
    "Hook",
    "JobRecord",
    "JobStore",
    "OverDailyCap",
    "PostgresJobStore",
    "SpendClaim",
    "check_claim",
    "describe_location",
    "is_postgres_url",
    "open_store",
    "scrub",
    "sqlite_path",
]


def describe_location(location: str | Path) -> str:
    """`location` fit for logs and messages: a URL without its password."""
    if not is_postgres_url(location):
        return str(sqlite_path(location)) if str(location) != ":memory:" else ":memory:"
    parts = urlsplit(str(location))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "") if parts.hostname else ""
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not pair.lower().startswith("password")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def __getattr__(name: str) -> Any:
    # PostgresJobStore is exported lazily: the single-user start-up never imports psycopg.
    if name == "PostgresJobStore":
        from pictory_mcp.jobs.postgres import PostgresJobStore

        return PostgresJobStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(location: str | Path, **kw: Any) -> JobStore | PostgresJobStore:
    """The store at `location`: PostgreSQL for a `postgresql://`/`postgres://` URL, else a
    SQLite file (`sqlite:///abs/path`, `sqlite:///~/x`, or a bare path). `kw` goes to the
    store's constructor (clock, wall; busy_timeout or min_size/max_size)."""
    if is_postgres_url(location):
        from pictory_mcp.jobs.postgres import PostgresJobStore

        return PostgresJobStore(str(location), **kw)
    if str(location) == ":memory:":
        return JobStore(":memory:", **kw)
    return JobStore(sqlite_path(location), **kw)
