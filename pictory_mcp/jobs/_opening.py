"""Opening the job-history file: first judged read-only (ours, new, or refused untouched),
then a connection shared across threads, in WAL mode, migrated and marked as ours."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._schema import migrate

__all__ = ["APPLICATION_ID", "FIX", "failure", "file_id", "open_connection", "unusable"]

# Stamped in the header of every history file (`PRAGMA application_id`), so that ours are
# recognised from their first 100 bytes; files written before the stamp are recognised by
# their tables and stamped when next opened.
APPLICATION_ID = 0x50494354  # "PICT"
FIX = "Move it aside, or set PICTORY_MCP_DB to a writable file path and restart the server."
_MAGIC = b"SQLite format 3\x00"
_OUR_TABLES = {"jobs", "schema_version"}


def unusable(path: Path, cause: str) -> str:
    """The sentence every call answers while the history at `path` cannot be used."""
    return f"The job history at {path} cannot be used: {cause}. {FIX}"


def failure(path: Path, action: str, exc: sqlite3.Error, busy_timeout: float) -> str:
    """One sentence for a failed SQLite call: what was being done, why it failed, what to do."""
    if "locked" in str(exc) or "busy" in str(exc):
        return (
            f"Could not {action}: the job history at {path} stayed locked by another "
            f"process for {busy_timeout:g} s. Try again."
        )
    if isinstance(exc, sqlite3.DatabaseError) and _damage(exc):
        return unusable(path, f"it is damaged ({exc})")
    return f"Could not {action} at {path}: {exc}. {FIX}"


def _damage(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return "malformed" in text or "not a database" in text or "corrupt" in text


def file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file now at `path`, or None when there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def open_connection(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A migrated connection to `path` (":memory:" for a private in-memory history).

    Raises StoreError, having modified nothing, when the file is not ours or cannot be used.
    """
    in_memory = str(path) == ":memory:"
    if not in_memory:
        cause = _judge(path)
        if cause is not None:
            raise StoreError(unusable(path, cause))
    try:
        conn = sqlite3.connect(
            ":memory:" if in_memory else path.absolute().as_uri() + "?mode=rwc",
            timeout=busy_timeout,
            isolation_level=None,  # autocommit; transactions are explicit
            check_same_thread=False,  # shared across threads under the store's lock
            uri=not in_memory,
        )
    except sqlite3.Error as exc:
        raise StoreError(failure(path, "open the job history", exc, busy_timeout)) from exc
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        _use_wal(conn, busy_timeout)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            _migrate_ours(conn, path)
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


def _judge(path: Path) -> str | None:
    """Why the file at `path` cannot be our history, or None when it is ours (or ours to
    create). Only reads: a file that is not ours must come out of this unchanged."""
    try:
        found = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return _creatable(path)
    except OSError as exc:
        return f"it cannot be reached ({exc.strerror or exc})"
    if stat.S_ISDIR(found.st_mode):
        return "it is a folder, not a file"
    if not stat.S_ISREG(found.st_mode):
        return "it is not a regular file"
    if found.st_size > 0:
        cause = _foreign(path)
        if cause is not None:
            return cause
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return "it is read-only"
    return None


def _creatable(path: Path) -> str | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            return f"its folder cannot be created, since {blocker} is a file"
        return f"its folder cannot be created ({exc.strerror or exc})"
    if not os.access(path.parent, os.W_OK):
        return f"the file cannot be created in the read-only folder {path.parent}"
    return None


def _foreign(path: Path) -> str | None:
    """Why a non-empty file is not our history (or is damaged), judged from its header and
    from its tables read through a read-only connection."""
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "it is not a SQLite database (damaged, or another program's file)"
    application_id = int.from_bytes(header[68:72], "big")
    if application_id not in (0, APPLICATION_ID):
        return "it is another program's SQLite database"
    # Read even when marked as ours: damage found now leaves the file as it was. A file in
    # WAL mode with no -wal beside it holds everything in itself; reading it as immutable
    # keeps SQLite from creating -wal and -shm files that a read-only reader cannot remove.
    idle_wal = header[18] == 2 and not Path(f"{path}-wal").exists()
    query = "?immutable=1" if idle_wal else "?mode=ro"
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + query, uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None  # another process is writing; the write transaction judges again
        return f"it is damaged ({exc})"
    if tables and _OUR_TABLES - tables:  # tables, but not ours
        return "it is another program's SQLite database"
    return None


def _migrate_ours(conn: sqlite3.Connection, path: Path) -> None:
    # Judged again inside the write transaction: another process may have filled a new
    # file between the read-only look and now.
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if tables and _OUR_TABLES - tables:  # tables, but not ours
        raise StoreError(unusable(path, "it is another program's SQLite database"))
    migrate(conn)
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


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
