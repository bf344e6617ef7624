"""Leases: one owner at a time takes a job's next step, with expiry, across stores and processes."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import SCHEMA_VERSION, JobStore
from pictory_mcp.jobs._schema import migrate
from tests.jobs.conftest import StoreFactory

ROUNDS = 40


class FakeWall:
    """Epoch seconds that move only when the test says so."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def store(store_factory: StoreFactory, wall: FakeWall) -> JobStore:
    opened: JobStore = store_factory(wall=wall)
    opened.record_submission("job-1", "render", {}, {})
    return opened


def test_a_free_job_is_claimed_until_now_plus_the_ttl(store: JobStore, wall: FakeWall) -> None:
    assert store.claim("job-1", "engine-a", ttl=30)
    record = store.get("job-1")
    assert record is not None
    assert (record.lease_owner, record.lease_until) == ("engine-a", wall.now + 30)
    assert record.lease_held(wall.now)
    assert not record.lease_held(wall.now + 30)


def test_another_owner_cannot_claim_an_unexpired_lease(store: JobStore, wall: FakeWall) -> None:
    assert store.claim("job-1", "engine-a", ttl=30)
    wall.now += 29
    assert not store.claim("job-1", "engine-b", ttl=30)
    record = store.get("job-1")
    assert record is not None
    assert (record.lease_owner, record.lease_until) == ("engine-a", wall.now + 1)


def test_the_owner_renews_its_lease(store: JobStore, wall: FakeWall) -> None:
    assert store.claim("job-1", "engine-a", ttl=30)
    wall.now += 20
    assert store.claim("job-1", "engine-a", ttl=30)
    record = store.get("job-1")
    assert record is not None and record.lease_until == wall.now + 30


def test_an_expired_lease_goes_to_the_next_claimant(store: JobStore, wall: FakeWall) -> None:
    assert store.claim("job-1", "engine-a", ttl=30)
    wall.now += 30
    record = store.get("job-1")
    assert record is not None and not record.lease_held(wall.now)
    assert store.claim("job-1", "engine-b", ttl=10)
    assert not store.claim("job-1", "engine-a", ttl=30)
    record = store.get("job-1")
    assert record is not None and record.lease_owner == "engine-b"


def test_only_the_owner_releases_a_lease(store: JobStore, wall: FakeWall) -> None:
    assert store.claim("job-1", "engine-a", ttl=30)
    store.release("job-1", "engine-b")
    assert not store.claim("job-1", "engine-b", ttl=30)
    store.release("job-1", "engine-a")
    record = store.get("job-1")
    assert record is not None
    assert (record.lease_owner, record.lease_until) == (None, None)
    assert not record.lease_held(wall.now)
    assert store.claim("job-1", "engine-b", ttl=30)


def test_claiming_a_job_not_in_the_history_is_a_store_error(store: JobStore) -> None:
    with pytest.raises(StoreError, match="ghost is not in the local job history"):
        store.claim("ghost", "engine-a", ttl=30)
    store.release("ghost", "engine-a")  # nothing to free, nothing to complain about


@pytest.mark.parametrize(("owner", "ttl"), [("", 30.0), ("  ", 30.0), ("engine-a", 0.0)])
def test_an_empty_owner_or_a_ttl_that_is_not_positive_is_a_value_error(
    store: JobStore, owner: str, ttl: float
) -> None:
    with pytest.raises(ValueError, match=r"owner|ttl"):
        store.claim("job-1", owner, ttl=ttl)


def test_a_lease_changes_neither_updated_at_nor_what_agents_see(store: JobStore) -> None:
    before = store.get("job-1")
    assert store.claim("job-1", "engine-a", ttl=30)
    after = store.get("job-1")
    assert before is not None and after is not None
    assert after.updated_at == before.updated_at
    assert after.to_dict(include_payload=True) == before.to_dict(include_payload=True)
    assert "lease_owner" not in after.to_dict(include_payload=True)


def test_a_claimed_submission_has_the_submitting_status(store: JobStore) -> None:
    record = store.update_status("job-2", "submitting")
    assert record.status == "submitting" and not record.finished
    assert store.update_status("job-2", "submitted").status == "submitted"
    assert store.update_status("job-2", "in-progress").status == "in-progress"
    assert store.update_status("job-2", "submitting").status == "in-progress"


def test_two_stores_on_one_file_racing_for_a_job_have_exactly_one_winner_each_round(
    store_factory: StoreFactory,
) -> None:
    with store_factory() as first, store_factory() as second:
        for i in range(ROUNDS):
            first.record_submission(f"job-{i}", "render", {}, {})
        start = threading.Barrier(2)
        wins: dict[str, list[bool]] = {}

        def race(store: JobStore, owner: str) -> None:
            wins[owner] = []
            for i in range(ROUNDS):
                start.wait(timeout=30)
                wins[owner].append(store.claim(f"job-{i}", owner, ttl=600))

        threads = [
            threading.Thread(target=race, args=(store, owner))
            for store, owner in ((first, "a"), (second, "b"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
        for i, (a, b) in enumerate(zip(wins["a"], wins["b"], strict=True)):
            assert a != b, f"round {i}: a={a} b={b}"
            record = first.get(f"job-{i}")
            assert record is not None and record.lease_owner == ("a" if a else "b")


def _claim_rounds(path: str, owner: str, rounds: int, start: Any, results: Any) -> None:
    """Child process body: claim job-0 .. job-(rounds-1), each round together with the other."""
    with JobStore(Path(path)) as store:
        for i in range(rounds):
            start.wait(timeout=60)
            results.put((owner, i, store.claim(f"job-{i}", owner, ttl=600)))


@pytest.mark.slow
def test_two_processes_racing_for_a_job_have_exactly_one_winner_each_round(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        for i in range(ROUNDS):
            store.record_submission(f"job-{i}", "render", {}, {})
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_claim_rounds, args=(str(path), owner, ROUNDS, start, results))
        for owner in ("alpha", "beta")
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(timeout=60)
        if worker.is_alive():
            worker.kill()
            worker.join()
    assert [worker.exitcode for worker in workers] == [0, 0]
    winners: dict[int, list[str]] = {i: [] for i in range(ROUNDS)}
    for owner, i, won in outcomes:
        if won:
            winners[i].append(owner)
    with JobStore(path) as store:
        for i in range(ROUNDS):
            assert len(winners[i]) == 1, f"round {i}: {winners[i]}"
            record = store.get(f"job-{i}")
            assert record is not None and record.lease_owner == winners[i][0]


def test_a_version_1_history_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        migrate(conn, target=1)
        conn.execute(
            "INSERT INTO jobs (job_id, kind, status, created_at, updated_at, payload) "
            "VALUES ('old-1', 'render', 'completed', 't1', 't2', '{\"a\": 1}')"
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    with JobStore(path) as store:
        record = store.get("old-1")
        assert record is not None
        assert (record.status, record.payload, record.updated_at) == ("completed", {"a": 1}, "t2")
        assert (record.lease_owner, record.lease_until) == (None, None)
        assert store.claim("old-1", "engine-a", ttl=5)
    conn = sqlite3.connect(path)
    try:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_version")]
    finally:
        conn.close()
    assert versions == list(range(1, SCHEMA_VERSION + 1)) and SCHEMA_VERSION >= 2
