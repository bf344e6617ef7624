"""Deduplicated submissions on both backends: a request repeated within its window finds the
first one's record instead of writing a second, even when the repeats race."""

from __future__ import annotations

import threading

import pytest

from pictory_mcp.jobs import DuplicateSubmission, JobStore
from tests.jobs.conftest import StoreFactory


class FakeWall:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def store(store_factory: StoreFactory, wall: FakeWall) -> JobStore:
    opened: JobStore = store_factory(wall=wall)
    return opened


def begin(store: JobStore, tracking_id: str, key: str | None = "k1", window: float = 60) -> None:
    store.begin_submission(
        tracking_id,
        "render",
        {"videoName": "Bakery"},
        {},
        owner="engine",
        ttl=30,
        dedup_key=key,
        dedup_window=window,
    )


def test_a_repeat_within_the_window_writes_nothing_and_names_the_first(
    store: JobStore, wall: FakeWall
) -> None:
    begin(store, "track-1")
    wall.now += 59
    with pytest.raises(DuplicateSubmission) as info:
        begin(store, "track-2")
    assert info.value.record.job_id == "track-1"
    assert "track-1" in str(info.value)
    assert store.get("track-2") is None and store.count() == 1


def test_the_key_stays_with_the_job_the_placeholder_became(store: JobStore, wall: FakeWall) -> None:
    begin(store, "track-1")
    store.resolve_submission("track-1", "job-1")
    with pytest.raises(DuplicateSubmission) as info:
        begin(store, "track-2")
    assert info.value.record.job_id == "job-1"


def test_the_key_follows_a_placeholder_merged_into_a_job_a_poll_recorded(
    store: JobStore,
) -> None:
    begin(store, "track-1")
    store.update_status("job-1", "in-progress")
    store.resolve_submission("track-1", "job-1")
    with pytest.raises(DuplicateSubmission) as info:
        begin(store, "track-2")
    assert info.value.record.job_id == "job-1"


def test_after_the_window_the_same_key_submits_again(store: JobStore, wall: FakeWall) -> None:
    begin(store, "track-1")
    store.resolve_submission("track-1", "job-1")
    wall.now += 60
    begin(store, "track-2")
    assert store.count() == 2
    with pytest.raises(DuplicateSubmission) as info:
        begin(store, "track-3")
    assert info.value.record.job_id == "track-2"


def test_an_abandoned_placeholder_frees_its_key(store: JobStore) -> None:
    begin(store, "track-1")
    store.abandon_submission("track-1")
    begin(store, "track-2")
    assert store.get("track-2") is not None


def test_keys_are_per_owner_and_requests_without_one_are_never_refused(store: JobStore) -> None:
    begin(store.scoped("alice"), "track-a")
    begin(store.scoped("bob"), "track-b")
    begin(store.scoped("alice"), "track-c", key=None)
    begin(store.scoped("alice"), "track-d", key="k2")
    assert store.scoped("alice").count() == 3 and store.scoped("bob").count() == 1


def test_of_many_threads_sending_one_key_at_once_exactly_one_writes(
    store_factory: StoreFactory,
) -> None:
    stores = [store_factory().scoped("alice") for _ in range(2)]
    start = threading.Barrier(8)
    won: list[str] = []
    refused: list[str] = []
    failures: list[BaseException] = []

    def send(worker: int) -> None:
        try:
            start.wait(timeout=30)
            begin(stores[worker % 2], f"track-{worker}")
            won.append(f"track-{worker}")
        except DuplicateSubmission as exc:
            refused.append(exc.record.job_id)
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=send, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(won) == 1
    assert refused == won * 7
    assert stores[0].count() == 1
