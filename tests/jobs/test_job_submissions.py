"""Placeholders of job-creating requests in the job history: written before sending, turned into
the job's record (keeping the tracking id), removed, or kept as unknown."""

from __future__ import annotations

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import JobStore
from tests.jobs.conftest import StoreFactory


@pytest.fixture
def store(store_factory: StoreFactory) -> JobStore:
    return store_factory()  # type: ignore[no-any-return]


def begin(store: JobStore, tracking_id: str = "sub-1", owner: str = "me") -> None:
    store.begin_submission(
        tracking_id,
        "render",
        {"videoName": "Bakery"},
        {"voice": "Brian"},
        owner=owner,
        ttl=60,
        video_name="Bakery",
    )


def test_a_placeholder_is_submitting_and_leased_by_its_sender(store: JobStore) -> None:
    begin(store)
    record = store.get("sub-1")
    assert record is not None
    assert record.status == "submitting" and record.lease_owner == "me"
    assert record.video_name == "Bakery"
    assert store.claim("sub-1", "someone else", 60) is False


def test_only_the_lease_holder_notes_that_the_request_goes_out_and_what_pictory_listed(
    store: JobStore,
) -> None:
    begin(store)
    assert store.submission_sent("sub-1") == (False, None)
    assert store.mark_submission_sent("sub-1", "someone else", ["job-a"]) is False
    assert store.submission_sent("sub-1") == (False, None)
    assert store.mark_submission_sent("sub-1", "me", ["job-a", "job-b"]) is True
    assert store.submission_sent("sub-1") == (True, ["job-a", "job-b"])
    store.resolve_submission("sub-1", "job-c")
    assert store.mark_submission_sent("sub-1", "me", []) is False  # no longer a placeholder


def test_a_sender_whose_lease_ran_out_may_not_send(store_factory: StoreFactory) -> None:
    now = [1000.0]
    store = store_factory(wall=lambda: now[0])
    store.begin_submission("sub-1", "render", {}, {}, owner="slow", ttl=60)
    now[0] += 61
    assert store.claim("sub-1", "taker", 60) is True  # another process took the request over
    assert store.mark_submission_sent("sub-1", "slow", []) is False
    assert store.mark_submission_sent("sub-1", "taker", []) is True


def test_which_jobs_are_recorded_is_answered_whoever_recorded_them(
    store_factory: StoreFactory,
) -> None:
    alice, bob = store_factory().scoped("alice"), store_factory().scoped("bob")
    alice.record_submission("job-a", "render", {}, {})
    bob.record_submission("job-b", "render", {}, {})
    assert alice.recorded_job_ids(["job-a", "job-b", "job-c"]) == {"job-a", "job-b"}
    assert alice.recorded_job_ids([]) == set()


def test_resolving_makes_the_placeholder_the_jobs_record_found_by_either_id(
    store: JobStore,
) -> None:
    begin(store)
    record = store.resolve_submission("sub-1", "job-9", adopted=True)
    assert record.job_id == "job-9" and record.status == "submitted"
    assert record.kind == "render" and record.payload == {"videoName": "Bakery"}
    assert record.summary == {"voice": "Brian", "adopted": True}
    assert record.lease_owner is None
    assert store.get("sub-1") is None
    found = store.get_by_tracking_id("sub-1")
    assert found is not None and found.job_id == "job-9"
    assert store.resolve_submission("sub-1", "job-9").job_id == "job-9"  # idempotent
    assert store.count() == 1


def test_resolving_onto_a_job_a_poll_recorded_first_merges_into_it(store: JobStore) -> None:
    begin(store)
    store.update_status("job-9", "in-progress", progress=10)
    record = store.resolve_submission("sub-1", "job-9")
    assert record.kind == "render" and record.status == "in-progress"
    assert record.payload == {"videoName": "Bakery"}
    assert store.count() == 1


def test_abandoning_removes_only_a_placeholder(store: JobStore) -> None:
    begin(store)
    store.abandon_submission("sub-1")
    assert store.get("sub-1") is None
    begin(store, "sub-2")
    store.resolve_submission("sub-2", "job-2")
    store.abandon_submission("job-2")
    assert store.get("job-2") is not None


def test_an_unknown_outcome_is_kept_with_its_error_and_no_lease(store: JobStore) -> None:
    begin(store)
    record = store.mark_submission_unknown("sub-1", {"code": "SUBMIT_OUTCOME_UNKNOWN"})
    assert record.error == {"code": "SUBMIT_OUTCOME_UNKNOWN"}
    assert record.status == "submitting" and record.lease_owner is None


def test_unknown_tracking_ids_are_refused_or_not_found(store: JobStore) -> None:
    assert store.get_by_tracking_id("sub-none") is None
    with pytest.raises(StoreError):
        store.resolve_submission("sub-none", "job-1")
    with pytest.raises(StoreError):
        store.mark_submission_unknown("sub-none", {})


def test_a_job_adopted_by_two_requests_stays_with_the_first_and_the_second_is_unknown(
    store: JobStore,
) -> None:
    begin(store, "sub-1")
    begin(store, "sub-2", owner="other")
    store.resolve_submission("sub-1", "job-9")
    second = store.resolve_submission("sub-2", "job-9", adopted=True)
    assert second.job_id == "sub-2"  # not resolved: whose job it is cannot be told
    assert second.error is not None and second.error["code"] == "SUBMIT_OUTCOME_UNKNOWN"
    found = store.get_by_tracking_id("sub-1")
    assert found is not None and found.job_id == "job-9"


def test_resolving_clears_an_unknown_mark_left_by_a_reader(store: JobStore) -> None:
    begin(store)
    store.mark_submission_unknown("sub-1", {"code": "SUBMIT_OUTCOME_UNKNOWN"})
    assert store.resolve_submission("sub-1", "job-9").error is None


def test_a_named_lock_has_one_owner_at_a_time_until_it_expires_or_is_released(
    store_factory: StoreFactory,
) -> None:
    now = [1000.0]
    store = store_factory(wall=lambda: now[0])
    assert store.claim_lock("submit:abc", "a", 60)
    assert store.claim_lock("submit:abc", "a", 60)  # renewed by its owner
    assert not store.claim_lock("submit:abc", "b", 60)
    store.release_lock("submit:abc", "b")  # not b's to release
    assert not store.claim_lock("submit:abc", "b", 60)
    now[0] += 61
    assert store.claim_lock("submit:abc", "b", 60)  # a's expired
    store.release_lock("submit:abc", "b")
    assert store.claim_lock("submit:abc", "a", 60)
