"""Webhook registrations on both backends: found by id whoever owns them, followed per owner,
never twice under one id, and kept with the secret's hash only."""

from __future__ import annotations

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import Hook, JobStore
from tests.jobs.conftest import StoreFactory


@pytest.fixture
def store(store_factory: StoreFactory) -> JobStore:
    opened: JobStore = store_factory()
    return opened


def test_a_hook_is_found_by_its_id_with_its_owner_target_and_hash(store: JobStore) -> None:
    store.scoped("alice").add_hook("h1", "hash-1", "sub-123", account="acct")
    assert store.find_hook("h1") == Hook("h1", "alice", "sub-123", "hash-1", "acct")
    assert store.scoped("bob").find_hook("h1") == Hook("h1", "alice", "sub-123", "hash-1", "acct")
    assert store.find_hook("nope") is None


def test_whether_a_job_is_hooked_is_answered_per_owner(store: JobStore) -> None:
    alice, bob = store.scoped("alice"), store.scoped("bob")
    alice.add_hook("h2", "hash", "wf-2")
    assert alice.hooked("wf-2")
    assert not alice.hooked("job-x")
    assert not bob.hooked("wf-2")


def test_a_hook_made_for_a_request_follows_the_job_the_request_became(store: JobStore) -> None:
    alice, bob = store.scoped("alice"), store.scoped("bob")
    alice.begin_submission("sub-1", "render", {}, {}, owner="engine", ttl=60)
    alice.add_hook("h1", "hash", "sub-1")
    assert alice.hooked("sub-1")
    assert not alice.hooked("job-1")
    alice.resolve_submission("sub-1", "job-1")
    assert alice.hooked("job-1")
    assert not bob.hooked("job-1")
    alice.record_submission("job-2", "render", {}, {})
    assert not alice.hooked("job-2")


def test_a_hook_id_is_registered_once(store: JobStore) -> None:
    store.add_hook("h1", "hash", "sub-1")
    with pytest.raises(StoreError):
        store.scoped("bob").add_hook("h1", "other", "sub-2")
    assert store.find_hook("h1") == Hook("h1", "", "sub-1", "hash", None)


def test_a_hook_needs_an_id_a_target_and_a_hash(store: JobStore) -> None:
    for args, what in ((("", "hash", "t"), "job_id"), (("h", "hash", " "), "job_id"),
                       (("h", "", "t"), "secret_hash")):  # fmt: skip
        with pytest.raises(ValueError, match=what):
            store.add_hook(*args)
