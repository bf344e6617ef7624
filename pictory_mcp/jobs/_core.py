"""`SqliteDatabase`, what every `JobStore` call goes through: the connection, its lock, and
short transactions that turn SQLite failures into one-sentence `StoreError`s; plus the few
pieces of SQL that differ from PostgreSQL's (see `_base.Database`)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs._moved import copy_rows, remove_stale_sidecars, sidecar_ids, snapshot
from pictory_mcp.jobs._opening import failure, file_id, open_connection, unusable

__all__ = ["SqliteDatabase"]

logger = logging.getLogger("pictory_mcp.jobs")


class SqliteDatabase:
    """One connection per store guarded by a lock (callers arrive from worker threads); WAL
    and a busy timeout let several processes share the file; every write is one short
    transaction.

    A history that cannot be used (damaged, a folder, another program's file, an unwritable
    place) does not fail the constructor: `problem` says why, every call raises StoreError
    with that cause and its fix, and each call first tries to open the file again, so a file
    moved aside or a lock released is picked up without a restart.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        busy_timeout: float = 10.0,
    ) -> None:
        self.path = Path(path).expanduser() if str(path) != ":memory:" else Path(path)
        self._busy_timeout = busy_timeout
        self.lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._problem: str | None = None
        self._closed = False
        # (device, inode) of the file opened and of its -wal and -shm, to notice the file
        # deleted or replaced.
        self._file: tuple[int, int] | None = None
        self._sidecars: dict[str, tuple[int, int]] = {}
        self._adrift = False  # the jobs live only in an in-memory copy until written back
        with self.lock:
            self._open()

    # Backend hooks: insertion order, row locks (a SQLite write transaction already holds
    # the whole file), the video-name match of `search`, change notifications (none).
    order = "rowid"
    lock_clause = ""
    skip_locked = ""
    text_match = (
        "instr(pm_fold(COALESCE(video_name, json_extract(summary, '$.video_name'), '')), ?) > 0"
    )

    @staticmethod
    def fold(text: str) -> str:
        """`text` as `text_match` compares it: Unicode case folding."""
        return text.casefold()

    @staticmethod
    def prepare_search(conn: sqlite3.Connection) -> None:
        conn.create_function("pm_fold", 1, _fold, deterministic=True)

    @staticmethod
    def exclusive(conn: sqlite3.Connection, name: str) -> None:
        """Nothing: a write (BEGIN IMMEDIATE) already runs alone on the file."""

    def changed(self, conn: sqlite3.Connection, owner: str, job_ids: Sequence[str]) -> None:
        """Nothing: other processes on a SQLite file learn of changes by reading."""

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def problem(self) -> str | None:
        """Why the history could not be opened (cause and fix), or None once it is open."""
        return self._problem

    def recent_failure(self) -> str | None:
        """Why the file could not be opened, if so (a busy file has its own messages)."""
        return self._problem

    def ensure_open(self) -> None:
        """Raise StoreError (cause and fix) unless the history can be written now; a caller
        about to spend money checks this first, so nothing is paid for that cannot be recorded.
        """
        with self.lock:
            self._follow_file(self._connection())

    def _open(self) -> bool:
        """Try to open the file; on failure remember (and log, once per cause) why."""
        try:
            conn = open_connection(self.path, self._busy_timeout)
        except StoreError as exc:
            if str(exc) != self._problem:
                logger.warning("%s", exc)
            self._problem = str(exc)
            return False
        if self._problem is not None:
            logger.warning("The job history at %s can be used again.", self.path)
        self._conn, self._problem = conn, None
        self._remember_file()
        return True

    def _remember_file(self) -> None:
        if str(self.path) != ":memory:":
            self._file, self._sidecars = file_id(self.path), sidecar_ids(self.path)

    def _follow_file(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """The connection to write through: `conn`, unless the file was deleted or replaced
        since it was opened; then the jobs `conn` holds are put back into a file at the path.

        One stat per write; reads skip it, since a read from a deleted file is still right.
        """
        if str(self.path) == ":memory:":
            return conn
        now = file_id(self.path)
        if now is not None and now == self._file:
            return conn
        how = "deleted" if now is None else "replaced"
        held = conn
        if not self._adrift:
            try:
                held = snapshot(conn)
            except sqlite3.Error as exc:
                raise StoreError(self._failure("copy the job history", exc)) from exc
            conn.close()  # SQLite neither checkpoints nor removes files of a moved database
            self._conn, self._file, self._adrift = held, None, True
        try:
            remove_stale_sidecars(self.path, self._sidecars)
            fresh = open_connection(self.path, self._busy_timeout)
        except OSError as exc:
            cause = f"the old {exc.filename} cannot be removed ({exc.strerror})"
            raise StoreError(self._adrift_message(how, unusable(self.path, cause))) from exc
        except StoreError as exc:
            raise StoreError(self._adrift_message(how, str(exc))) from exc
        try:
            count = copy_rows(held, fresh)
        except sqlite3.Error as exc:
            fresh.close()
            raise StoreError(self._failure("restore the job history", exc)) from exc
        held.close()
        self._conn, self._adrift = fresh, False
        self._remember_file()
        logger.warning(
            "The job history file %s was %s while the server ran; it now holds the %d jobs "
            "this server knew.",
            self.path,
            how,
            count,
        )
        return fresh

    def _adrift_message(self, how: str, cause: str) -> str:
        return (
            f"The job history file at {self.path} was {how} while the server ran, and this "
            f"server holds its jobs until it can write them again. {cause}"
        )

    def close(self) -> None:
        """Close the connection; later calls raise StoreError. Closing twice is harmless."""
        with self.lock:
            self._closed = True
            if self._adrift:
                logger.warning(
                    "The job history file %s could not be written again; the jobs this "
                    "server held since it was deleted or replaced are lost.",
                    self.path,
                )
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"The job history at {self.path} is closed.")
        if self._conn is None and not self._open():
            raise StoreError(self._problem)
        assert self._conn is not None
        return self._conn

    @contextmanager
    def try_reading(self, action: str) -> Iterator[sqlite3.Connection | None]:
        """Like `reading`, but None at once instead of waiting: when another thread of this
        process holds the store (a write that may be waiting on another process's lock) or
        the history is not open yet (opening may wait on a lock). A read in WAL mode never
        waits for other processes, so an event loop may read through this directly."""
        if not self.lock.acquire(blocking=False):
            yield None
            return
        try:
            if self._conn is None and not self._closed:
                yield None
                return
            with self.reading(action) as conn:
                yield conn
        finally:
            self.lock.release()

    @contextmanager
    def reading(self, action: str) -> Iterator[sqlite3.Connection]:
        with self.lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise StoreError(self._failure(action, exc)) from exc

    @contextmanager
    def writing(self, action: str) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies;
        # a deferred transaction upgrading from read to write could fail at once instead.
        with self.lock:
            conn = self._follow_file(self._connection())
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(self._failure(action, exc)) from exc

    def _failure(self, action: str, exc: sqlite3.Error) -> str:
        return failure(self.path, action, exc, self._busy_timeout)


def _fold(value: object) -> str:
    return str(value).casefold() if value is not None else ""
