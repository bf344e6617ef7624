"""Video minutes counted from the job history on both backends: claims written with the job's
record, a daily cap that refuses (writing nothing) the claim past it, even when claims race,
failed jobs counting nothing and finished ones counting their video's duration."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pictory_mcp.jobs import JobStore, OverDailyCap, SpendClaim
from tests.jobs.conftest import StoreFactory

DAY = "2030-05-01T00:00:00.000000+00:00"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 5, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_factory: StoreFactory, clock: Clock) -> JobStore:
    opened: JobStore = store_factory(clock=clock)
    return opened


def begin(store: JobStore, tracking_id: str, claim: SpendClaim | None, **kw: Any) -> None:
    store.begin_submission(tracking_id, "render", {}, {}, owner="engine", ttl=30, spend=claim, **kw)


def capped(minutes: float, cap: float = 10.0, known: bool = True) -> SpendClaim:
    return SpendClaim(minutes=minutes, known=known, cap=cap, since=DAY)


def test_claims_within_the_cap_are_written_and_the_one_past_it_writes_nothing(
    store: JobStore,
) -> None:
    begin(store, "sub-1", capped(4))
    begin(store, "sub-2", capped(5.5))
    with pytest.raises(OverDailyCap) as info:
        begin(store, "sub-3", capped(1))
    assert (info.value.spent, info.value.cap) == (9.5, 10.0)
    assert store.get("sub-3") is None and store.count() == 2
    assert store.spent_since(DAY) == 9.5
    assert store.get("sub-1") is not None and store.get("sub-1").spend_minutes == 4  # type: ignore[union-attr]


def test_a_claim_that_fits_exactly_passes(store: JobStore) -> None:
    begin(store, "sub-1", capped(6))
    begin(store, "sub-2", capped(4))
    assert store.spent_since(DAY) == 10


def test_an_unknown_length_passes_while_the_count_is_under_the_cap(store: JobStore) -> None:
    begin(store, "sub-1", capped(9.9))
    begin(store, "sub-2", capped(0, known=False))
    store.resolve_submission("sub-2", "job-2")
    store.update_status("job-2", "completed", result={"duration_seconds": 90})
    with pytest.raises(OverDailyCap):
        begin(store, "sub-3", capped(0, known=False))
    assert store.spent_since(DAY) == pytest.approx(11.4)


def test_failed_jobs_and_abandoned_requests_count_nothing(store: JobStore) -> None:
    begin(store, "sub-1", capped(6))
    store.resolve_submission("sub-1", "job-1")
    store.update_status("job-1", "failed", error={"code": "X", "message": "no"})
    begin(store, "sub-2", capped(6))
    store.abandon_submission("sub-2")
    begin(store, "sub-3", capped(9))
    assert store.spent_since(DAY) == 9


def test_a_finished_job_counts_its_video_duration_instead_of_its_estimate(
    store: JobStore,
) -> None:
    begin(store, "sub-1", capped(2))
    store.resolve_submission("sub-1", "job-1")
    assert store.spending_in_flight(DAY) == 2
    store.update_status("job-1", "completed", result={"duration_seconds": 30, "video_url": "u"})
    assert store.spent_since(DAY) == 0.5
    assert store.spending_in_flight(DAY) == 0
    store.update_status("job-2", "completed", result={"duration_seconds": 600})  # not ours
    assert store.spent_since(DAY) == 0.5


def test_jobs_without_a_claim_and_jobs_before_the_day_are_not_counted(
    store: JobStore, clock: Clock
) -> None:
    clock.now -= timedelta(days=1)
    begin(store, "sub-old", capped(8, cap=100))
    clock.now += timedelta(days=1)
    begin(store, "sub-preview", None)
    begin(store, "sub-1", capped(3))
    assert store.spent_since(DAY) == 3


def test_a_workflow_record_claims_like_a_placeholder(store: JobStore) -> None:
    store.record_submission("wf-1", "highlights", {}, {}, spend=capped(8))
    with pytest.raises(OverDailyCap):
        store.record_submission("wf-2", "highlights", {}, {}, spend=capped(3))
    assert store.get("wf-2") is None
    store.record_submission("wf-1", "highlights", {}, {}, spend=capped(8))  # a repeat: no claim
    assert store.spent_since(DAY) == 8


def test_each_owner_has_a_cap_of_their_own(store: JobStore) -> None:
    alice, bob = store.scoped("alice"), store.scoped("bob")
    begin(alice, "sub-a", capped(9))
    begin(bob, "sub-b", capped(9))
    with pytest.raises(OverDailyCap):
        begin(alice, "sub-a2", capped(2))
    assert bob.spent_since(DAY) == 9


def test_of_many_claims_racing_near_the_cap_only_those_that_fit_together_pass(
    store_factory: StoreFactory, clock: Clock
) -> None:
    stores = [store_factory(clock=clock).scoped("alice") for _ in range(2)]
    start = threading.Barrier(8)
    won: list[str] = []
    refused: list[str] = []
    failures: list[BaseException] = []

    def claim(worker: int) -> None:
        try:
            start.wait(timeout=30)
            begin(stores[worker % 2], f"sub-{worker}", capped(4))
            won.append(f"sub-{worker}")
        except OverDailyCap:
            refused.append(f"sub-{worker}")
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=claim, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(won) == 2 and len(refused) == 6
    assert stores[0].spent_since(DAY) == 8
    assert stores[1].count() == 2
