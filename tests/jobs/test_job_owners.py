"""Owners on one store, on both backends: each scoped view reads and writes only its owner's
jobs; the store as opened is owner "" (single-user mode); secrets are kept per owner."""

from __future__ import annotations

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import JobStore
from tests.jobs.conftest import StoreFactory


@pytest.fixture
def store(store_factory: StoreFactory) -> JobStore:
    opened: JobStore = store_factory(wall=lambda: 1000.0)
    return opened


def fill(view: JobStore, prefix: str) -> None:
    """A parent job with a child, a placeholder resolved into a job, and a leased job."""
    view.record_submission(f"{prefix}-parent", "text_to_video", {}, {}, video_name="Bakery")
    view.record_submission(f"{prefix}-child", "render", {}, {}, parent_id=f"{prefix}-parent")
    view.begin_submission(f"{prefix}-track", "render", {}, {}, owner="engine", ttl=60)
    view.resolve_submission(f"{prefix}-track", f"{prefix}-job")
    view.update_status(f"{prefix}-job", "in-progress", progress=5)


def test_a_scoped_view_sees_only_its_owners_jobs_on_every_read(store: JobStore) -> None:
    alice, bob = store.scoped("alice"), store.scoped("bob")
    fill(alice, "a")
    fill(bob, "b")
    assert alice.owner == "alice" and store.owner == ""
    for view, mine, theirs in ((alice, "a", "b"), (bob, "b", "a")):
        assert view.get(f"{theirs}-job") is None
        assert view.get_nowait(f"{theirs}-job") == (True, None)
        assert view.get_by_tracking_id(f"{theirs}-track") is None
        found = view.get_by_tracking_id(f"{mine}-track")
        assert found is not None and found.job_id == f"{mine}-job"
        assert {r.job_id for r in view.list_recent()} == {
            f"{mine}-parent",
            f"{mine}-child",
            f"{mine}-job",
        }
        assert view.count() == 3
        assert view.count(parent_id=f"{theirs}-parent") == 0
        records, total = view.search(text="bakery")
        assert [r.job_id for r in records] == [f"{mine}-parent"] and total == 1
        assert {r.job_id for r in view.unfinished()} == {
            f"{mine}-parent",
            f"{mine}-child",
            f"{mine}-job",
        }
    assert store.count() == 0 and store.unfinished() == []  # single-user mode sees neither
    assert store.owners_with_unfinished() == ["alice", "bob"]
    assert alice.owners_with_unfinished() == ["alice", "bob"]  # not scoped


def test_writes_keyed_by_a_job_id_never_touch_another_owners_job(store: JobStore) -> None:
    alice, bob = store.scoped("alice"), store.scoped("bob")
    fill(alice, "a")
    before = alice.get("a-job")
    with pytest.raises(StoreError, match="not in the job history"):
        bob.update_status("a-job", "completed")
    with pytest.raises(StoreError, match="not in the job history"):
        bob.record_submission("a-job", "render", {"b": 1}, {})
    with pytest.raises(StoreError, match="not in the local job history"):
        bob.update_steps("a-job", [{"step": "x"}])
    with pytest.raises(StoreError, match="not in the local job history"):
        bob.set_local_path("a-job", "/tmp/b.mp4")
    with pytest.raises(StoreError, match="not in the local job history"):
        bob.claim("a-job", "engine-b", ttl=30)
    bob.release("a-job", "engine")
    with pytest.raises(StoreError):
        bob.mark_submission_unknown("a-track", {})
    with pytest.raises(StoreError):
        bob.resolve_submission("a-track", "b-new")
    bob.abandon_submission("a-track")
    assert alice.get("a-job") == before
    assert bob.count() == 0
    assert store.scoped("alice").count() == 3


def test_abandoning_only_removes_the_owners_placeholder(store: JobStore) -> None:
    alice, bob = store.scoped("alice"), store.scoped("bob")
    alice.begin_submission("track-1", "render", {}, {}, owner="engine", ttl=60)
    bob.abandon_submission("track-1")
    assert alice.get("track-1") is not None
    alice.abandon_submission("track-1")
    assert alice.get("track-1") is None


def test_a_lease_of_another_owners_job_cannot_be_released(store: JobStore) -> None:
    alice, bob = store.scoped("alice"), store.scoped("bob")
    alice.record_submission("job-1", "render", {}, {})
    assert alice.claim("job-1", "engine", ttl=30)
    bob.release("job-1", "engine")
    record = alice.get("job-1")
    assert record is not None and record.lease_owner == "engine"


def test_named_locks_are_shared_by_every_owner(store: JobStore) -> None:
    assert store.scoped("alice").claim_lock("submit:acct", "replica-1", 60)
    assert not store.scoped("bob").claim_lock("submit:acct", "replica-2", 60)
    store.release_lock("submit:acct", "replica-1")
    assert store.scoped("bob").claim_lock("submit:acct", "replica-2", 60)


def test_a_view_shares_the_store_it_came_from(store: JobStore) -> None:
    alice = store.scoped("alice")
    alice.record_submission("job-1", "render", {}, {})
    assert store.scoped("alice").get("job-1") is not None
    assert alice.scoped("").count() == 0
    store.close()
    with pytest.raises(StoreError, match="closed"):
        alice.get("job-1")


def test_secrets_are_kept_per_owner_replaced_and_deleted(store: JobStore) -> None:
    assert store.get_secret("alice", "pictory_key") is None
    store.put_secret("alice", "pictory_key", b"\x00cipher-1\xff")
    store.scoped("bob").put_secret("bob", "pictory_key", b"cipher-b")
    assert store.get_secret("alice", "pictory_key") == b"\x00cipher-1\xff"
    store.put_secret("alice", "pictory_key", b"cipher-2")
    assert store.get_secret("alice", "pictory_key") == b"cipher-2"
    assert store.get_secret("bob", "pictory_key") == b"cipher-b"
    assert store.delete_secret("alice", "pictory_key") is True
    assert store.delete_secret("alice", "pictory_key") is False
    assert store.get_secret("alice", "pictory_key") is None
    assert store.get_secret("bob", "pictory_key") == b"cipher-b"
    with pytest.raises(ValueError, match="bytes"):
        store.put_secret("alice", "pictory_key", "plain text")  # type: ignore[arg-type]
