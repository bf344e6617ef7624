"""Local job history: a SQLite record of every Pictory job the server submitted or watched.

Knows nothing of MCP or HTTP; the server calls it from worker threads.
"""

from pictory_mcp.jobs._schema import SCHEMA_VERSION
from pictory_mcp.jobs.records import (
    EXTERNAL_KIND,
    FINISHED_STATUSES,
    UNFINISHED_STATUSES,
    JobRecord,
    scrub,
)
from pictory_mcp.jobs.store import JobStore

__all__ = [
    "EXTERNAL_KIND",
    "FINISHED_STATUSES",
    "SCHEMA_VERSION",
    "UNFINISHED_STATUSES",
    "JobRecord",
    "JobStore",
    "scrub",
]
