"""The PostgreSQL schema of the job store and its migrations, applied once each, recorded in
`schema_version`, under an advisory lock so that replicas starting together migrate once.

PostgreSQL's history starts at version 1 with everything SQLite reached in five steps (its
`seq` column stands for SQLite's rowid). To change the schema, add `MIGRATIONS[n + 1]` and
bump `PG_SCHEMA_VERSION`; never edit a released migration.
"""

from __future__ import annotations

from typing import Any

import psycopg

from pictory_mcp.jobs._schema import (
    CANCELLED_TASKS,
    SENT,
    SPEND_MINUTES,
    VERSION_TABLE,
    WEBHOOKS,
    apply_migrations,
)

__all__ = ["MIGRATIONS", "MIGRATION_LOCK", "PG_SCHEMA_VERSION", "current_version", "migrate"]

PG_SCHEMA_VERSION = 5

# The key of the transaction-scoped advisory lock held while migrating ("PICTJOBS").
MIGRATION_LOCK = 0x504943544A4F4253

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """
        CREATE TABLE jobs (
            seq         BIGSERIAL NOT NULL,
            job_id      TEXT PRIMARY KEY,
            owner       TEXT NOT NULL DEFAULT '',
            kind        TEXT NOT NULL,
            status      TEXT NOT NULL,
            progress    DOUBLE PRECISION,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            payload     TEXT NOT NULL DEFAULT '{}',
            summary     TEXT NOT NULL DEFAULT '{}',
            result      TEXT NOT NULL DEFAULT '{}',
            error       TEXT,
            parent_id   TEXT,
            steps       TEXT NOT NULL DEFAULT '[]',
            video_name  TEXT,
            local_path  TEXT,
            lease_owner TEXT,
            lease_until DOUBLE PRECISION,
            tracking_id TEXT,
            dedup_key   TEXT,
            dedup_at    DOUBLE PRECISION
        )
        """,
        "CREATE INDEX jobs_owner_created_at ON jobs (owner, created_at)",
        "CREATE INDEX jobs_status ON jobs (status)",
        "CREATE INDEX jobs_parent_id ON jobs (parent_id)",
        "CREATE UNIQUE INDEX jobs_tracking_id ON jobs (tracking_id)",
        "CREATE UNIQUE INDEX jobs_owner_dedup_key ON jobs (owner, dedup_key)",
        """
        CREATE TABLE locks (
            name        TEXT PRIMARY KEY,
            owner       TEXT NOT NULL,
            until       DOUBLE PRECISION NOT NULL
        )
        """,
        """
        CREATE TABLE secrets (
            owner       TEXT NOT NULL,
            name        TEXT NOT NULL,
            value       BYTEA NOT NULL,
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (owner, name)
        )
        """,
    ),
    2: WEBHOOKS,
    3: CANCELLED_TASKS,
    4: (SPEND_MINUTES,),
    # When a job-creating request went out, and what Pictory listed before (SQLite's 9).
    5: SENT,
}


def current_version(conn: psycopg.Connection[Any]) -> int:
    """The highest migration applied to `conn`'s database (0 for a new one)."""
    if conn.execute("SELECT to_regclass('schema_version')").fetchone() == (None,):
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(
    conn: psycopg.Connection[Any],
    *,
    target: int = PG_SCHEMA_VERSION,
    migrations: dict[int, tuple[str, ...]] | None = None,
) -> int:
    """Bring the database up to `target` in one transaction; returns the version before.

    The advisory lock is taken first and held until commit, so a second replica starting
    at the same moment waits, then finds the work done.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(VERSION_TABLE)
        return apply_migrations(
            conn.execute,
            current_version(conn),
            MIGRATIONS if migrations is None else migrations,
            target,
            placeholder="%s",
            where="job store",
            elsewhere="another database",
        )
