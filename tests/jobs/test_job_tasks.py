"""Cancelled tasks on both backends: kept per owner, once, with the time of the first
cancellation, and seen by every store on the same history."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pictory_mcp.jobs import JobStore
from tests.jobs.conftest import StoreFactory


@pytest.fixture
def store(store_factory: StoreFactory) -> JobStore:
    opened: JobStore = store_factory()
    return opened


def test_a_task_is_not_cancelled_until_its_owner_cancels_it(store: JobStore) -> None:
    alice = store.scoped("alice")
    assert alice.task_cancelled("job-1") is None
    when = alice.cancel_task("job-1")
    assert alice.task_cancelled("job-1") == when
    datetime.fromisoformat(when)  # an ISO-8601 time


def test_cancelling_again_keeps_the_first_time(store_factory: StoreFactory) -> None:
    times = iter(
        [
            datetime(2026, 8, 1, 10, tzinfo=timezone.utc),
            datetime(2026, 8, 1, 11, tzinfo=timezone.utc),
        ]
    )
    store = store_factory(clock=lambda: next(times))
    first = store.cancel_task("job-1")
    assert store.cancel_task("job-1") == first
    assert first.startswith("2026-08-01T10:00")


def test_one_owners_cancellation_is_not_anothers(store: JobStore) -> None:
    store.scoped("alice").cancel_task("job-1")
    assert store.scoped("bob").task_cancelled("job-1") is None
    assert store.task_cancelled("job-1") is None


def test_another_store_on_the_same_history_sees_the_cancellation(
    store_factory: StoreFactory,
) -> None:
    store_factory().scoped("alice").cancel_task("wf-1")
    assert store_factory().scoped("alice").task_cancelled("wf-1") is not None


def test_a_task_id_must_be_text(store: JobStore) -> None:
    with pytest.raises(ValueError, match="job_id"):
        store.cancel_task(" ")
