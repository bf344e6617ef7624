"""`pictory-mcp migrate`: what the Kubernetes migration Job runs. It brings the store that
PICTORY_MCP_DB names up to the current schema and exits, saying which version it is at and
never printing the database password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from pictory_mcp.jobs import SCHEMA_VERSION
from pictory_mcp.jobs.postgres import SCHEMA_VERSION as PG_SCHEMA_VERSION
from tests._helpers import free_port

pytestmark = pytest.mark.slow

PASSWORD = "m1grate-Pw"


def migrate(db: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    return subprocess.run(
        [sys.executable, "-m", "pictory_mcp", "migrate"],
        env={**env, "PICTORY_MCP_DB": db},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def tables_and_versions(url: str) -> tuple[set[str], list[int]]:
    with psycopg.connect(url) as conn:
        tables = {
            str(row[0])
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        versions = [int(r[0]) for r in conn.execute("SELECT version FROM schema_version")]
    return tables, versions


def test_migrate_brings_a_new_postgresql_database_to_the_current_schema_once(
    postgres_url: str,
) -> None:
    # The test server trusts local connections, so any password is accepted (and must not show).
    url = postgres_url.replace("postgres:@", f"postgres:{PASSWORD}@", 1)
    assert PASSWORD in url
    first, again = migrate(url), migrate(url)
    for done in (first, again):
        assert done.returncode == 0, done.stderr
        assert f"schema version {PG_SCHEMA_VERSION}." in done.stdout
        assert PASSWORD not in done.stdout + done.stderr
    tables, versions = tables_and_versions(postgres_url)
    assert {"jobs", "locks", "secrets", "schema_version"} <= tables
    assert versions == list(range(1, PG_SCHEMA_VERSION + 1))  # applied once, not twice


def test_migrate_fails_in_one_sentence_without_the_password_when_the_database_is_down() -> None:
    done = migrate(f"postgresql://pictory:{PASSWORD}@127.0.0.1:{free_port()}/pictory")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Could not open the job store" in done.stderr
    assert PASSWORD not in done.stderr and "Traceback" not in done.stderr


def test_migrate_creates_a_sqlite_history_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    done = migrate(str(path))
    assert done.returncode == 0, done.stderr
    assert f"{path} is at schema version {SCHEMA_VERSION}." in done.stdout
    import sqlite3

    with sqlite3.connect(path) as conn:
        (top,) = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    assert top == SCHEMA_VERSION


def test_a_bad_setting_stops_migrate_before_anything_is_opened(tmp_path: Path) -> None:
    done = migrate("sqlite://relative/path")
    assert done.returncode == 2
    assert "PICTORY_MCP_DB" in done.stderr and "Traceback" not in done.stderr
