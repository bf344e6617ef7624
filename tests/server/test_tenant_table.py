"""A replica's tenants: each excludes the others in leases and locks (two users on one Pictory
account, one user's stored and per-request key), and a retired tenant (its key replaced or
pushed out) stops its background work and never moves a job again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from pictory_mcp.config import Settings
from pictory_mcp.jobs import JobStore
from pictory_mcp.server.notify import Notifier
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tenant_table import TenantTable

pytestmark = pytest.mark.anyio

SHARED = "pictai_shared_account_key"


class NoClient:
    async def aclose(self) -> None:
        pass


@pytest.fixture
async def process(tmp_path: Path) -> AsyncIterator[AppState]:
    settings = Settings.from_env({}, db_path=tmp_path / "jobs.sqlite3", mode="hosted")
    store = JobStore(settings.db_path)
    state = AppState(settings=settings, store=store, client_factory=None, base_url="http://x")
    state.notifier = Notifier()
    async with state.background.running():
        yield state
    store.close()


def table(process: AppState, header_limit: int = 4) -> TenantTable:
    return TenantTable(process, lambda key: NoClient(), header_limit)


async def test_two_users_on_one_account_exclude_each_other_in_the_accounts_lock(
    process: AppState,
) -> None:
    tenants = table(process)
    alice = await tenants.open("alice", SHARED, header=False)
    bob = await tenants.open("bob", SHARED, header=False)
    assert alice.account == bob.account
    assert alice.owner != bob.owner
    lock = "submit:shared"
    assert await anyio.to_thread.run_sync(alice.store.claim_lock, lock, alice.owner, 60)
    assert not await anyio.to_thread.run_sync(bob.store.claim_lock, lock, bob.owner, 60)


async def test_one_users_stored_and_per_request_tenants_never_both_hold_a_workflow(
    process: AppState,
) -> None:
    tenants = table(process)
    stored = await tenants.open("alice", SHARED, header=False)
    header = await tenants.open("alice", SHARED, header=True)
    assert stored is not header
    store = stored.store
    # A job no engine moves on by itself (a highlights record would be advanced, and its lease
    # released, by the tenants' own engines in the background): only the two claims below.
    await anyio.to_thread.run_sync(lambda: store.record_submission("job-1", "render", {}, {}))
    assert await stored.leases.claim("job-1")
    assert not await header.leases.claim("job-1")


async def test_a_replaced_key_retires_the_old_tenant_and_stops_its_work(
    process: AppState,
) -> None:
    tenants = table(process)
    baseline = await running_tasks()
    await tenants.open("alice", "pictai_old_key", header=False)
    one = await running_tasks() - baseline
    assert one > 0  # its lease renewal, record retries and workflow engine
    new = await tenants.open("alice", "pictai_new_key", header=False)
    assert tenants.of_user("alice") == [new]
    assert tenants.get("alice", "pictai_old_key", header=False) is None
    assert await running_tasks() - baseline == one  # the old tenant's work stopped
    await tenants.retire_stale("alice", None)  # the key removed
    assert tenants.of_user("alice") == []
    assert await running_tasks() == baseline


async def test_per_request_tenants_past_the_limit_are_retired_oldest_first(
    process: AppState,
) -> None:
    tenants = table(process, header_limit=2)
    baseline = await running_tasks()
    await tenants.open("carol", "pictai_header_first", header=True)
    one = await running_tasks() - baseline
    for n in range(3):
        await tenants.open("carol", f"pictai_header_{n}", header=True)
    kept = [tenants.get("carol", f"pictai_header_{n}", header=True) for n in range(3)]
    assert [state is not None for state in kept] == [False, True, True]
    assert tenants.get("carol", "pictai_header_first", header=True) is None
    assert len(tenants.all()) == 2
    assert await running_tasks() - baseline == 2 * one


async def running_tasks() -> int:
    """Tasks alive once every started or cancelled one has had its turn."""
    for _ in range(5):
        await anyio.sleep(0.01)
    return len(asyncio.all_tasks())
