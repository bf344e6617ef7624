"""What only the PostgreSQL store has: migrations under an advisory lock, messages without the
URL's password, change notifications through `listen()` and their reconnection; and opening
a store by URL."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import psycopg
import pytest
from anyio.streams.memory import MemoryObjectReceiveStream

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import JobStore, describe_location, open_store
from pictory_mcp.jobs._pg_schema import MIGRATIONS, PG_SCHEMA_VERSION
from pictory_mcp.jobs.postgres import PostgresJobStore
from tests._postgres import listeners

PASSWORD = "s3cr3t-Pw"


def versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute("SELECT version FROM schema_version ORDER BY 1")]


def with_password(url: str) -> str:
    # The test server trusts local connections, so any password is accepted.
    return url.replace("postgres:@", f"postgres:{PASSWORD}@", 1)


def test_stores_opening_a_new_database_at_once_apply_each_migration_once(
    postgres_url: str,
) -> None:
    start = threading.Barrier(4)
    opened: list[PostgresJobStore] = []
    failures: list[BaseException] = []

    def open_one() -> None:
        try:
            start.wait(timeout=30)
            opened.append(PostgresJobStore(postgres_url, min_size=1, max_size=1))
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert failures == []
        assert versions(postgres_url) == list(range(1, PG_SCHEMA_VERSION + 1))
        opened[0].record_submission("job-1", "render", {}, {})
        assert opened[-1].get("job-1") is not None
    finally:
        for store in opened:
            store.close()
    PostgresJobStore(postgres_url).close()  # reopening applies nothing again
    assert versions(postgres_url) == list(range(1, PG_SCHEMA_VERSION + 1))
    assert set(MIGRATIONS) == set(range(1, PG_SCHEMA_VERSION + 1))


def test_a_database_from_a_newer_version_is_refused_with_advice(postgres_url: str) -> None:
    PostgresJobStore(postgres_url).close()
    with psycopg.connect(postgres_url) as conn:
        conn.execute("INSERT INTO schema_version VALUES (%s, 'later')", (PG_SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match=r"newer pictory-mcp.*PICTORY_MCP_DB"):
        PostgresJobStore(postgres_url)


def test_an_unreachable_database_is_one_sentence_without_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql://someone:{PASSWORD}@127.0.0.1:1/jobs?password={PASSWORD}"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError) as info:
        PostgresJobStore(url, timeout=2)
    message = str(info.value)
    assert message.startswith("Could not open the job store at postgresql://someone@127.0.0.1:1/")
    assert "PICTORY_MCP_DB" in message
    assert PASSWORD not in message and PASSWORD not in caplog.text
    assert PASSWORD not in describe_location(url)


def test_a_failing_call_names_the_store_without_the_password(
    postgres_url: str, postgres_admin_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = PostgresJobStore(with_password(postgres_url), timeout=1)
    try:
        store.record_submission("job-1", "render", {}, {})
        assert PASSWORD not in repr(store) + store.location
        name = postgres_url.split("?")[0].rsplit("/", 1)[1]
        with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        with pytest.raises(StoreError) as info:
            store.get("job-1")
        assert str(info.value).startswith("Could not read the job at postgresql://postgres@/")
        assert PASSWORD not in str(info.value) and PASSWORD not in caplog.text
        with pytest.raises(StoreError, match="PICTORY_MCP_DB") as info:
            store.ensure_open()
        assert PASSWORD not in str(info.value)
    finally:
        store.close()


Note = tuple[str | None, str | None]


@asynccontextmanager
async def listening(store: PostgresJobStore) -> AsyncIterator[MemoryObjectReceiveStream[Note]]:
    """`store.listen()` consumed by a task of its own (cancelling a pending `__anext__`
    would end the iterator), its notes passed on through a stream; cancelled on exit."""
    send, receive = anyio.create_memory_object_stream[Note](100)

    async def consume() -> None:
        async with send:
            async for note in store.listen():
                await send.send(note)

    async with receive, anyio.create_task_group() as group:
        group.start_soon(consume)
        yield receive
        group.cancel_scope.cancel()


async def expect(receive: MemoryObjectReceiveStream[Note], note: Note, skip: Note) -> None:
    """Wait for `note`, passing over repeats of `skip` (from earlier writes) only."""
    with anyio.fail_after(20):
        while (got := await receive.receive()) != note:
            assert got == skip


async def first_note(receive: MemoryObjectReceiveStream[Note], write: Any) -> Note:
    """The first note, writing (in a worker thread) until one arrives: the listener may not
    be listening yet when a write commits."""
    with anyio.fail_after(20):
        while True:
            await anyio.to_thread.run_sync(write)
            with anyio.move_on_after(0.5):
                return await receive.receive()


def counter() -> Any:
    progress = iter(range(1, 10_000))
    return lambda: next(progress)


@pytest.mark.anyio
async def test_a_write_through_another_store_is_announced_to_listeners(
    postgres_url: str,
) -> None:
    with PostgresJobStore(postgres_url) as listener, PostgresJobStore(postgres_url) as writer:
        assert listener.supports_listen and not JobStore.supports_listen
        alice = writer.scoped("alice")
        alice.record_submission("job-1", "render", {}, {})
        tick = counter()
        async with listening(listener) as notes:
            note = await first_note(
                notes, lambda: alice.update_status("job-1", "in-progress", progress=tick())
            )
            assert note == ("alice", "job-1")
            await anyio.to_thread.run_sync(lambda: alice.update_steps("job-1", []))
            await anyio.to_thread.run_sync(lambda: writer.update_status("job-2", "in-progress"))
            await expect(notes, ("", "job-2"), skip=("alice", "job-1"))


@pytest.mark.anyio
async def test_after_a_lost_connection_the_listener_says_to_read_again_and_goes_on(
    postgres_url: str,
) -> None:
    with PostgresJobStore(postgres_url) as store:
        store.record_submission("job-1", "render", {}, {})
        tick = counter()
        async with listening(store) as notes:
            note = await first_note(
                notes, lambda: store.update_status("job-1", "in-progress", progress=tick())
            )
            assert note == ("", "job-1")
            with psycopg.connect(postgres_url, autocommit=True) as admin:
                killed = admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND query LIKE 'LISTEN %'"
                ).fetchall()
            assert killed == [(True,)]
            await expect(notes, (None, None), skip=("", "job-1"))
            # The marker comes once listening again: the next write is heard.
            await anyio.to_thread.run_sync(lambda: store.update_status("job-2", "submitted"))
            await expect(notes, ("", "job-2"), skip=("", "job-1"))


@pytest.mark.anyio
async def test_the_listener_closes_its_connection_when_its_task_is_cancelled(
    postgres_url: str,
) -> None:
    with PostgresJobStore(postgres_url) as store:
        tick = counter()
        async with listening(store) as notes:
            await first_note(
                notes, lambda: store.update_status("job-1", "submitted", progress=tick())
            )
            assert listeners(postgres_url) == 1
        with anyio.fail_after(20):
            # The server ends the session just after the client left; it is another process.
            while listeners(postgres_url):  # noqa: ASYNC110
                await anyio.sleep(0.05)


def test_open_store_picks_the_backend_from_the_location(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with open_store(postgres_url) as store:
        assert isinstance(store, PostgresJobStore)
    with open_store(f"sqlite://{tmp_path}/a.sqlite3") as store:
        assert isinstance(store, JobStore) and store.path == tmp_path / "a.sqlite3"
    with open_store("sqlite:///~/b.sqlite3") as store:
        assert isinstance(store, JobStore) and store.path == tmp_path / "b.sqlite3"
    with open_store(tmp_path / "c.sqlite3") as store:
        assert isinstance(store, JobStore) and store.path == tmp_path / "c.sqlite3"
    with open_store(str(tmp_path / "d.sqlite3")) as store:
        assert isinstance(store, JobStore) and store.path == tmp_path / "d.sqlite3"
    with pytest.raises(ValueError, match="sqlite:///"):
        open_store("sqlite://relative.sqlite3")


def test_a_location_is_described_without_its_password() -> None:
    assert (
        describe_location(f"postgresql://app:{PASSWORD}@db.internal:5433/jobs?sslmode=require")
        == "postgresql://app@db.internal:5433/jobs?sslmode=require"
    )
    assert describe_location(f"postgres://db/jobs?user=a&password={PASSWORD}") == (
        "postgres://db/jobs?user=a"
    )
    assert describe_location("sqlite:///var/lib/jobs.sqlite3") == "/var/lib/jobs.sqlite3"
    assert describe_location("/var/lib/jobs.sqlite3") == "/var/lib/jobs.sqlite3"


def test_opening_a_sqlite_store_does_not_import_psycopg(tmp_path: Path) -> None:
    code = (
        "import sys; from pictory_mcp.jobs import open_store; "
        f"open_store({str(tmp_path / 'jobs.sqlite3')!r}).close(); "
        "print(sorted(m for m in sys.modules if m.startswith('psycopg')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_get_nowait_declines_while_every_connection_is_busy(postgres_url: str) -> None:
    with PostgresJobStore(postgres_url, min_size=1, max_size=1) as store:
        store.record_submission("job-1", "render", {}, {})
        done, record = store.get_nowait("job-1")
        assert done and record is not None and record.job_id == "job-1"
        with store._pg._pool.connection():  # what a write in progress looks like
            assert store.get_nowait("job-1") == (False, None)  # declines at once
        assert store.get_nowait("job-1")[0] is True
