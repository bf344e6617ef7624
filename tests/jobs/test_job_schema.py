"""Schema versioning: a new file is migrated once, a later version can be added, newer files refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import SCHEMA_VERSION, JobStore
from pictory_mcp.jobs._schema import MIGRATIONS, current_version, migrate

NEXT = SCHEMA_VERSION + 1


def _versions(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT version FROM schema_version ORDER BY 1")]
    finally:
        conn.close()


def test_a_new_file_is_at_the_current_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    JobStore(path).close()
    assert _versions(path) == list(range(1, SCHEMA_VERSION + 1))


def test_reopening_does_not_apply_migrations_again(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        store.record_submission("job-1", "render", {"a": 1}, {})
    with JobStore(path) as store:
        assert store.count() == 1
    assert _versions(path) == list(range(1, SCHEMA_VERSION + 1))


def test_a_later_migration_applies_on_top_of_the_current_ones(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "jobs.sqlite3", isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        assert migrate(conn) == 0
        conn.execute("COMMIT")
        conn.execute(
            "INSERT INTO jobs (job_id, kind, status, created_at, updated_at) "
            "VALUES ('j', 'render', 'submitted', 't', 't')"
        )
        later = {**MIGRATIONS, NEXT: ("ALTER TABLE jobs ADD COLUMN credits REAL",)}
        conn.execute("BEGIN IMMEDIATE")
        assert migrate(conn, target=NEXT, migrations=later) == SCHEMA_VERSION
        conn.execute("COMMIT")
        assert current_version(conn) == NEXT
        assert conn.execute("SELECT job_id, credits FROM jobs").fetchall() == [("j", None)]
    finally:
        conn.close()


def test_a_file_from_a_newer_version_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    JobStore(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    conn.close()
    store = JobStore(path)
    with pytest.raises(StoreError, match="newer pictory-mcp") as info:
        store.get("job-1")
    assert "PICTORY_MCP_DB" in str(info.value)
    assert store.problem == str(info.value)


def test_a_missing_migration_step_is_reported(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "jobs.sqlite3", isolation_level=None)
    try:
        with pytest.raises(StoreError, match=f"No migration to job history schema version {NEXT}"):
            migrate(conn, target=NEXT)
    finally:
        conn.close()


def test_a_version_4_history_gives_its_jobs_to_the_single_user_owner(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        migrate(conn, target=4)
        conn.execute(
            "INSERT INTO jobs (job_id, kind, status, created_at, updated_at) "
            "VALUES ('old-1', 'render', 'in-progress', 't1', 't1')"
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    with JobStore(path) as store:
        assert [r.job_id for r in store.unfinished()] == ["old-1"]
        assert store.scoped("alice").get("old-1") is None
        assert store.owners_with_unfinished() == [""]
    assert _versions(path) == list(range(1, SCHEMA_VERSION + 1))
    conn = sqlite3.connect(path)
    try:
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(jobs)")}
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert {"jobs_owner_created_at", "jobs_owner_dedup_key"} <= indexes
    assert "secrets" in tables
