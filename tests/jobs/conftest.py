"""Stores on either backend: `store_factory` opens stores on one SQLite file or one fresh
PostgreSQL database per test, for the tests whose behaviour is the same on both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pictory_mcp.jobs import JobStore

StoreFactory = Callable[..., Any]


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_factory(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[StoreFactory]:
    """Opens a store (keyword arguments: clock, wall) on this test's one file or database;
    every store opened is closed after the test."""
    opened: list[Any] = []
    if backend == "sqlite":
        path = tmp_path / "jobs.sqlite3"

        def open_sqlite(**kw: Any) -> JobStore:
            opened.append(JobStore(path, **kw))
            return opened[-1]

        factory: StoreFactory = open_sqlite
    else:
        from pictory_mcp.jobs.postgres import PostgresJobStore

        url = request.getfixturevalue("postgres_url")

        def open_postgres(**kw: Any) -> PostgresJobStore:
            opened.append(PostgresJobStore(url, min_size=1, max_size=4, **kw))
            return opened[-1]

        factory = open_postgres
    yield factory
    for store in opened:
        store.close()
