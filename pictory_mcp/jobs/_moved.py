"""What a store needs when its file is deleted or replaced while open: a copy of what it
holds, the removal of the old file's -wal and -shm, and the merge into the new file.

SQLite keeps writing to a deleted file through its open descriptor, so without this the
jobs recorded after a deletion vanish at the next restart.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from pictory_mcp.jobs._opening import file_id

__all__ = ["SIDECARS", "copy_rows", "remove_stale_sidecars", "sidecar_ids", "snapshot"]

SIDECARS = ("-wal", "-shm")


def sidecar_ids(path: Path) -> dict[str, tuple[int, int]]:
    """(device, inode) of the -wal and -shm files beside `path` that exist now."""
    found = {suffix: file_id(Path(f"{path}{suffix}")) for suffix in SIDECARS}
    return {suffix: ident for suffix, ident in found.items() if ident is not None}


def remove_stale_sidecars(path: Path, recorded: dict[str, tuple[int, int]]) -> None:
    """Remove the -wal and -shm files that belonged to the file this store opened.

    A new file at `path` would otherwise read the old file's log as its own. Files with
    another identity belong to whoever made the new file and are left alone.
    """
    for suffix, ident in recorded.items():
        sidecar = Path(f"{path}{suffix}")
        if file_id(sidecar) == ident:
            sidecar.unlink(missing_ok=True)


def snapshot(conn: sqlite3.Connection) -> sqlite3.Connection:
    """An in-memory copy of everything `conn` sees (read through its open descriptors)."""
    copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    copy.row_factory = sqlite3.Row
    conn.backup(copy)
    return copy


def copy_rows(source: sqlite3.Connection, target: sqlite3.Connection) -> int:
    """Put every job of `source` into `target`, every column of it; of two records of one job
    the more recently updated wins; the same for the owners' secrets. Returns how many jobs
    `source` held."""
    names = [n for n in _columns(source) if n in set(_columns(target))]
    listed = ", ".join(names)
    rows = source.execute(f"SELECT {listed} FROM jobs").fetchall()  # noqa: S608
    marks = ", ".join("?" for _ in names)
    updates = ", ".join(f"{name} = excluded.{name}" for name in names if name != "job_id")
    upsert = (
        f"INSERT INTO jobs ({listed}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT (job_id) DO UPDATE SET {updates} "
        "WHERE excluded.updated_at > jobs.updated_at"
    )
    target.execute("BEGIN IMMEDIATE")
    try:
        for row in rows:
            # IntegrityError: the target holds this job under its tracking id; keep that one.
            with contextlib.suppress(sqlite3.IntegrityError):
                target.execute(upsert, tuple(row))
        # A placeholder from the older copy whose request the other copy already resolved
        # (its job record carries the tracking id) is stale: the job record stands for it.
        target.execute(
            "DELETE FROM jobs WHERE status = 'submitting' AND job_id IN "
            "(SELECT tracking_id FROM jobs WHERE tracking_id IS NOT NULL)"
        )
        _copy_secrets(source, target)
    except BaseException:
        target.execute("ROLLBACK")
        raise
    target.execute("COMMIT")
    return len(rows)


def _copy_secrets(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    if not (_has_secrets(source) and _has_secrets(target)):
        return  # a file from before secrets were kept
    rows = source.execute("SELECT owner, name, value, updated_at FROM secrets").fetchall()
    target.executemany(
        "INSERT INTO secrets (owner, name, value, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (owner, name) DO UPDATE SET value = excluded.value, "
        "updated_at = excluded.updated_at WHERE excluded.updated_at > secrets.updated_at",
        [tuple(row) for row in rows],
    )


def _has_secrets(conn: sqlite3.Connection) -> bool:
    found = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'secrets'"
    return conn.execute(found).fetchone() is not None


def _columns(conn: sqlite3.Connection) -> list[str]:
    return [str(row[1]) for row in conn.execute("PRAGMA table_info(jobs)")]
