"""Opening the job-history file: a connection shared across threads, in WAL mode, migrated."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._schema import migrate

__all__ = ["FIX", "failure", "open_connection"]

FIX = "Check the file, or set PICTORY_MCP_DB to a writable path."


def failure(path: Path, action: str, exc: sqlite3.Error, busy_timeout: float) -> str:
    """One sentence for a failed SQLite call: what was being done, why it failed, what to do."""
    if "locked" in str(exc) or "busy" in str(exc):
        return (
            f"Could not {action}: the job history at {path} stayed locked by another "
            f"process for {busy_timeout:g} s. Try again."
        )
    return f"Could not {action} at {path}: {exc}. {FIX}"


def open_connection(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A migrated connection to `path` (":memory:" for a private in-memory history)."""
    in_memory = str(path) == ":memory:"
    try:
        if not in_memory:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            str(path),
            timeout=busy_timeout,
            isolation_level=None,  # autocommit; transactions are explicit
            check_same_thread=False,  # shared across threads under the store's lock
        )
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"Cannot open the job history at {path}: {exc}. {FIX}") from exc
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        _use_wal(conn, busy_timeout)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrate(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(failure(path, "open the job history", exc, busy_timeout)) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection, busy_timeout: float) -> None:
    # Switching a file to WAL needs an exclusive lock and SQLite answers "locked" at
    # once, without its busy handler, while another process is migrating the new
    # file; so retry here until the busy timeout. WAL then persists in the file.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            locked = "locked" in str(exc) or "busy" in str(exc)
            if not locked or time.monotonic() >= deadline:
                raise
        time.sleep(0.02)
