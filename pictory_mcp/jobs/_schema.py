"""The job-history schema and its migrations, applied once each and recorded in `schema_version`.

To change the schema, add `MIGRATIONS[n + 1]` and bump `SCHEMA_VERSION`; never edit a
released migration, since existing files have already run it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from pictory_mcp.errors import StoreError

__all__ = [
    "CANCELLED_TASKS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SENT",
    "SPEND_MINUTES",
    "VERSION_TABLE",
    "WEBHOOKS",
    "apply_migrations",
    "current_version",
    "migrate",
]

SCHEMA_VERSION = 9

# The same on both backends (PostgreSQL's migration 2 uses it too).
WEBHOOKS: tuple[str, ...] = (
    """
    CREATE TABLE webhooks (
        hook_id     TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        target      TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        account     TEXT,
        created_at  TEXT NOT NULL
    )
    """,
    "CREATE INDEX webhooks_owner_target ON webhooks (owner, target)",
)

# The same on both backends (PostgreSQL's migration 3 uses it too).
CANCELLED_TASKS: tuple[str, ...] = (
    """
    CREATE TABLE cancelled_tasks (
        owner        TEXT NOT NULL,
        task_id      TEXT NOT NULL,
        cancelled_at TEXT NOT NULL,
        PRIMARY KEY (owner, task_id)
    )
    """,
)

# The same on both backends (PostgreSQL's migration 4 uses it too).
SPEND_MINUTES = "ALTER TABLE jobs ADD COLUMN spend_minutes DOUBLE PRECISION"

# The same on both backends (PostgreSQL's migration 5 uses them too). When a job-creating
# request went out (epoch seconds; empty while it waits for its turn: a request whose sender
# died before then was certainly never sent), and the job ids Pictory listed just before (to
# find the job if the sender died after). Placeholders written before this migration may have
# been sent; their list is unknown.
SENT: tuple[str, ...] = (
    "ALTER TABLE jobs ADD COLUMN sent_at DOUBLE PRECISION",
    "ALTER TABLE jobs ADD COLUMN sent_before TEXT",
    "UPDATE jobs SET sent_at = 0 WHERE status = 'submitting'",
)

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """
        CREATE TABLE jobs (
            job_id      TEXT PRIMARY KEY,
            kind        TEXT NOT NULL,
            status      TEXT NOT NULL,
            progress    REAL,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            payload     TEXT NOT NULL DEFAULT '{}',
            summary     TEXT NOT NULL DEFAULT '{}',
            result      TEXT NOT NULL DEFAULT '{}',
            error       TEXT,
            parent_id   TEXT,
            steps       TEXT NOT NULL DEFAULT '[]',
            video_name  TEXT,
            local_path  TEXT
        )
        """,
        "CREATE INDEX jobs_created_at ON jobs (created_at)",
        "CREATE INDEX jobs_status ON jobs (status)",
        "CREATE INDEX jobs_parent_id ON jobs (parent_id)",
    ),
    # Leases: which engine owns a job's next step, until when (epoch seconds, since the
    # owners may be different processes or machines sharing the file).
    2: (
        "ALTER TABLE jobs ADD COLUMN lease_owner TEXT",
        "ALTER TABLE jobs ADD COLUMN lease_until REAL",
    ),
    # Tracking ids: the id an agent was given for a job-creating request before Pictory named
    # the job, kept on the job's record so either id finds it.
    3: (
        "ALTER TABLE jobs ADD COLUMN tracking_id TEXT",
        "CREATE UNIQUE INDEX jobs_tracking_id ON jobs (tracking_id)",
    ),
    # Named locks with expiry, shared by the processes on one history: job-creating requests
    # of one API key go one at a time across processes, not only within one.
    4: (
        """
        CREATE TABLE locks (
            name        TEXT PRIMARY KEY,
            owner       TEXT NOT NULL,
            until       REAL NOT NULL
        )
        """,
    ),
    # Several users on one store: each job belongs to an owner ("" in single-user mode);
    # a request's deduplication key, unique per owner while it lasts, so a repeated request
    # finds the first one's job; and each owner's secrets, encrypted by the caller.
    5: (
        "ALTER TABLE jobs ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE jobs ADD COLUMN dedup_key TEXT",
        "ALTER TABLE jobs ADD COLUMN dedup_at REAL",
        "CREATE INDEX jobs_owner_created_at ON jobs (owner, created_at)",
        "CREATE UNIQUE INDEX jobs_owner_dedup_key ON jobs (owner, dedup_key)",
        """
        CREATE TABLE secrets (
            owner       TEXT NOT NULL,
            name        TEXT NOT NULL,
            value       BLOB NOT NULL,
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (owner, name)
        )
        """,
    ),
    # Webhooks: a URL per job-creating request that Pictory calls when the job finishes; the
    # URL's secret is kept as a hash only.
    6: WEBHOOKS,
    # Tasks (the MCP tasks extension): which of an owner's tasks were cancelled, and when.
    7: CANCELLED_TASKS,
    # Spending: the video minutes a render or workflow is expected to use (its estimate, then
    # the video's duration once known), so a daily cap is counted from the history itself.
    8: (SPEND_MINUTES,),
    # When a job-creating request went out, and what Pictory listed just before (see SENT).
    9: SENT,
}

VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER PRIMARY KEY,
    applied_at  TEXT NOT NULL
)
"""


def current_version(conn: sqlite3.Connection) -> int:
    """The highest migration applied to `conn`'s database (0 for a new file)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(
    conn: sqlite3.Connection,
    *,
    target: int = SCHEMA_VERSION,
    migrations: dict[int, tuple[str, ...]] | None = None,
) -> int:
    """Bring the database up to `target`; returns the version it was at before.

    Must run inside a write transaction (BEGIN IMMEDIATE) so that two processes opening
    a new file at once cannot both apply a migration: the second sees the first's work.
    """
    conn.execute(VERSION_TABLE)
    return apply_migrations(
        conn.execute,
        current_version(conn),
        MIGRATIONS if migrations is None else migrations,
        target,
        placeholder="?",
        where="job history",
        elsewhere="another file",
    )


def apply_migrations(
    execute: Callable[..., Any],
    before: int,
    steps: dict[int, tuple[str, ...]],
    target: int,
    *,
    placeholder: str,
    where: str,
    elsewhere: str,
) -> int:
    """Apply the migrations after `before` up to `target` through `execute` (the caller holds
    the transaction and whatever lock keeps others out); returns `before`. Shared by both
    backends: `placeholder` is their parameter mark, `where`/`elsewhere` name the store."""
    if before > target:
        raise StoreError(
            f"The {where} was written by a newer pictory-mcp (schema version {before}; "
            f"this version understands up to {target}). Upgrade pictory-mcp or set "
            f"PICTORY_MCP_DB to {elsewhere}."
        )
    # The placeholder is one of the two backends' marks, never outside text.
    record = (
        f"INSERT INTO schema_version (version, applied_at) VALUES ({placeholder}, {placeholder})"  # noqa: S608
    )
    for version in range(before + 1, target + 1):
        if version not in steps:
            raise StoreError(f"No migration to {where} schema version {version}.")
        for statement in steps[version]:
            execute(statement)
        execute(record, (version, datetime.now(timezone.utc).isoformat(timespec="seconds")))
    return before
