"""`StoreBase`, what the record logic of both backends stands on: the `Database` seam (short
read and write transactions, a few backend-specific pieces of SQL), the clocks, the owner a
store is bound to, and the row helpers every method uses.

The record logic writes one SQL dialect, with `?` placeholders; each backend runs it (the
PostgreSQL one translates the placeholders) and names what differs through the hooks below.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from types import TracebackType
from typing import Any, ClassVar, Protocol, TypeVar

from pictory_mcp.jobs._rows import COLUMNS, record_from_row
from pictory_mcp.jobs.records import JobRecord

__all__ = ["Conn", "Database", "StoreBase", "check_id"]

_Store = TypeVar("_Store", bound="StoreBase")


class Conn(Protocol):
    """A connection inside one transaction: `execute` returns a cursor with `fetchone`,
    `fetchall` and `rowcount`, whose rows are indexable by column name and by position."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any: ...


class Database(Protocol):
    """One backend's connections and the SQL in which it differs from the other."""

    order: str  # a column giving insertion order, the tie-break of equal timestamps
    lock_clause: str  # appended to a read inside a write so concurrent writers queue
    skip_locked: str  # appended to a read picking a row that concurrent writers must not pick
    text_match: str  # true when the folded video name contains the one `?` parameter

    @property
    def location(self) -> str: ...

    def fold(self, text: str) -> str: ...

    def prepare_search(self, conn: Any) -> None: ...

    def changed(self, conn: Any, owner: str, job_ids: Sequence[str]) -> None: ...

    def exclusive(self, conn: Any, name: str) -> None:
        """Inside a write: wait until no other transaction holds `name`, then hold it until
        this one ends."""
        ...

    def reading(self, action: str) -> AbstractContextManager[Any]: ...

    def try_reading(self, action: str) -> AbstractContextManager[Any]: ...

    def writing(self, action: str) -> AbstractContextManager[Any]: ...

    def ensure_open(self) -> None: ...

    def recent_failure(self) -> str | None: ...

    def close(self) -> None: ...


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def check_id(job_id: str) -> str:
    """`job_id` without surrounding blanks; an empty or non-text id is a ValueError."""
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValueError("job_id must be a non-empty string")
    return job_id.strip()


class StoreBase:
    """A job store bound to one owner (a user's account; "" in single-user mode).

    `clock` returns the current time (UTC) for the records' timestamps; `wall` returns
    epoch seconds for leases and submission windows, which other processes must read the
    same way. Tests pass their own of either.
    """

    supports_listen: ClassVar[bool] = False

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._clock = clock or _utc_now
        self._wall = wall
        self._owner = ""

    def __repr__(self) -> str:
        scope = f", owner={self._owner!r}" if self._owner else ""
        return f"{type(self).__name__}({self._db.location!r}{scope})"

    @property
    def owner(self) -> str:
        """Whose jobs this store reads and writes ("" for the store as opened)."""
        return self._owner

    @property
    def location(self) -> str:
        """Where the jobs are kept, without any password: fit for logs and messages."""
        return self._db.location

    def scoped(self: _Store, owner: str) -> _Store:
        """A view of this store that reads and writes only `owner`'s jobs.

        Cheap (make one per call): it shares the connections and locks of this store, so
        closing either closes both."""
        if not isinstance(owner, str):
            raise ValueError("owner must be a string")
        view = copy.copy(self)
        view._owner = owner
        return view

    def ensure_open(self) -> None:
        """Raise StoreError (cause and fix) unless the store can be written now; a caller
        about to spend money checks this first, so nothing is paid for that cannot be recorded.
        """
        self._db.ensure_open()

    def recent_failure(self) -> str | None:
        """The sentence of the store's last failure (cause and fix), while no call has
        succeeded since: what a call cut off by its bound while waiting on the store says."""
        return self._db.recent_failure()

    def close(self) -> None:
        """Close the store; later calls raise StoreError. Closing twice is harmless."""
        self._db.close()

    def __enter__(self: _Store) -> _Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _reading(self, action: str) -> AbstractContextManager[Conn]:
        return self._db.reading(action)

    def _writing(self, action: str) -> AbstractContextManager[Conn]:
        return self._db.writing(action)

    def _changed(self, conn: Conn, *job_ids: str) -> None:
        """Announce, in the write's own transaction, that these job records changed."""
        self._db.changed(conn, self._owner, job_ids)

    def _now(self) -> str:
        now = self._clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return now.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def _row(self, conn: Conn, job_id: str, *, lock: bool = False) -> JobRecord | None:
        """This owner's record of `job_id`; `lock` (inside a write) holds the row until commit,
        so a concurrent writer waits for this one's decision instead of overwriting it."""
        row = conn.execute(
            f"SELECT {COLUMNS} FROM jobs WHERE job_id = ? AND owner = ?"  # noqa: S608
            + (self._db.lock_clause if lock else ""),
            (job_id, self._owner),
        ).fetchone()
        return record_from_row(row) if row is not None else None

    def _update(self, conn: Conn, job_id: str, changes: Mapping[str, Any]) -> None:
        # Column names come from this package only, never from callers.
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(
            f"UPDATE jobs SET {assignments} WHERE job_id = ? AND owner = ?",  # noqa: S608
            (*changes.values(), job_id, self._owner),
        )
