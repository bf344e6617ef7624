"""Concurrent writers on both backends: a job's status only moves forward, whichever write
commits last; and the search of both backends finds the same jobs."""

from __future__ import annotations

import threading

from pictory_mcp.jobs import JobStore
from tests.jobs.conftest import StoreFactory

ROUNDS = 15
WRITERS = 6


def test_a_status_never_moves_back_under_concurrent_writers(store_factory: StoreFactory) -> None:
    # Separate stores: separate connections (and, in PostgreSQL, truly concurrent
    # transactions), as replicas polling one job would be.
    stores: list[JobStore] = [store_factory() for _ in range(3)]
    for i in range(ROUNDS):
        stores[0].record_submission(f"job-{i}", "render", {}, {})
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        store = stores[worker % len(stores)]
        try:
            for i in range(ROUNDS):
                start.wait(timeout=30)
                if worker == 0:
                    store.update_status(f"job-{i}", "completed", result={"videoURL": "u"})
                else:
                    for progress in range(3):
                        store.update_status(f"job-{i}", "in-progress", progress=progress)
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)
            start.abort()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    for i in range(ROUNDS):
        record = stores[1].get(f"job-{i}")
        assert record is not None
        assert (record.status, record.progress, record.result) == (
            "completed",
            100.0,
            {"videoURL": "u"},
        ), f"job-{i}"


def test_search_filters_and_matches_the_name_ignoring_case(store_factory: StoreFactory) -> None:
    store: JobStore = store_factory()
    store.record_submission("a", "render", {}, {}, video_name="Die BÄCKEREI am Markt")
    store.record_submission("b", "render", {}, {"video_name": "Bäckerei zwei"})  # older record
    store.record_submission("c", "preview", {}, {}, video_name="Garden")
    store.record_submission("c-1", "render", {}, {}, parent_id="c")
    store.update_status("b", "completed")
    records, total = store.search(text="bäckerei")
    assert [r.job_id for r in records] == ["b", "a"] and total == 2
    records, total = store.search(statuses=["completed"], text="BÄCK")
    assert [r.job_id for r in records] == ["b"] and total == 1
    records, total = store.search(kind="preview")
    assert [r.job_id for r in records] == ["c"] and total == 1
    records, total = store.search(limit=1, offset=1)
    assert [r.job_id for r in records] == ["b"] and total == 3
    first = store.get("a")
    assert first is not None
    assert store.search(before=first.created_at) == ([], 0)
    assert store.search(since=first.created_at)[1] == 3


def test_engines_claiming_the_next_unfinished_job_at_once_each_get_a_different_one(
    store_factory: StoreFactory,
) -> None:
    now = [1000.0]
    stores: list[JobStore] = [store_factory(wall=lambda: now[0]).scoped("alice") for _ in range(3)]
    first = stores[0]
    for i in range(12):
        first.record_submission(f"job-{i}", "render" if i % 4 else "highlights", {}, {})
    first.update_status("job-1", "completed")
    assert first.claim("job-2", "elsewhere", ttl=600)
    first.scoped("bob").record_submission("bob-1", "render", {}, {})
    start = threading.Barrier(WRITERS)
    claimed: list[tuple[str, str]] = []
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        store = stores[worker % len(stores)]
        try:
            start.wait(timeout=30)
            while (record := store.claim_next_unfinished(f"engine-{worker}", ttl=60)) is not None:
                claimed.append((record.job_id, f"engine-{worker}"))
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    expected = {f"job-{i}" for i in range(12)} - {"job-1", "job-2"}
    assert sorted(job for job, _ in claimed) == sorted(expected)  # each exactly once
    for job_id, engine in claimed:
        record = first.get(job_id)
        assert record is not None and (record.lease_owner, record.lease_until) == (engine, 1060.0)


def test_the_next_unfinished_job_can_be_of_given_kinds_and_comes_back_when_its_lease_expires(
    store_factory: StoreFactory,
) -> None:
    now = [1000.0]
    store: JobStore = store_factory(wall=lambda: now[0])
    store.record_submission("job-1", "render", {}, {})
    store.record_submission("job-2", "highlights", {}, {})
    taken = store.claim_next_unfinished("engine-a", ttl=30, kinds=["highlights"])
    assert taken is not None and taken.job_id == "job-2"
    assert store.claim_next_unfinished("engine-a", ttl=30, kinds=["highlights"]) is None
    now[0] += 30
    again = store.claim_next_unfinished("engine-b", ttl=30, kinds=["highlights", "x"])
    assert again is not None and again.job_id == "job-2" and again.lease_owner == "engine-b"
    assert store.scoped("bob").claim_next_unfinished("engine-a", ttl=30) is None
