"""Two hosted replicas under load, and under failure: 200 MCP agents of 10 users (each with a
Pictory account of their own in the sandbox) sharing one PostgreSQL store, through a balancer
without session affinity (`tests.hosted.fleet`, `tests.hosted.load`).

Timings are not asserted here: `bench/load.py` reports them."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests._helpers import until_found
from tests._postgres import LocalPostgres, create_database, listeners
from tests.hosted.fleet import Backends, Replicas
from tests.hosted.idp import IdP
from tests.hosted.load import (
    LoadRun,
    once_half_have_their_job,
    owned_ids,
    under_load,
    verify_jobs,
)
from tests.hosted.team import USER_KEYS

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

AGENTS = 200
# Budgets sized for a load test: the default (120 calls a minute per user and replica) is
# about what 20 agents of one user spend here, and this test is not about budgets.
LOAD_ENV = {"PICTORY_MCP_USER_RATE": "100000", "PICTORY_MCP_ACCOUNT_RATE": "100000"}
# What a call says while the store is down: what failed, and what to do.
STORE_DOWN = re.compile(
    r"job history failed: Could not .+\. Check that PostgreSQL is running and that "
    r"PICTORY_MCP_DB names it, then try again\."
)
CALL_BOUND = 20.0  # PICTORY_MCP_CALL_TIMEOUT of the replicas whose database restarts
SLACK = 10.0  # a call answers at its bound, give or take a busy machine (not a timing)
# What the SDK's client raises for a call whose replica died under it: the balancer's 502
# (cut off before the answer began), or an answer that ended early (JSON or SSE).
CUT_OFF = (
    "MCPError: Server returned an error response",
    "MCPError: SSE stream ended without a response",
    "MCPError: Failed to parse JSON response",
)


async def loaded(
    replicas: Replicas,
    meanwhile: Callable[[LoadRun], Awaitable[None]] | None = None,
    **options: Any,
) -> tuple[LoadRun, Backends]:
    """Start the replicas, connect every user's key, run AGENTS agents (`under_load`), and stop
    the replicas."""
    try:
        replicas.start()
        for user in USER_KEYS:
            await replicas.team.connected(user)
        return await under_load(replicas, meanwhile, clients=AGENTS, **options)
    finally:
        replicas.stop()


async def test_two_hundred_agents_of_ten_users_on_two_replicas_each_get_their_own_job_once(
    idp: IdP, sandbox: Any, postgres_url: str, tmp_path: Path
) -> None:
    sandbox.control.configure(render_seconds=3)  # agents check, then wait
    replicas = Replicas(idp, sandbox, postgres_url, tmp_path, env=LOAD_ENV)
    run, balancer = await loaded(replicas)
    assert balancer.refused == [] and run.protocol_errors() == []
    assert run.tool_errors() == []
    assert run.foreign_ids(owned_ids(run, postgres_url)) == []
    assert verify_jobs(run, postgres_url, sandbox) == []
    assert set(balancer.sent) == set(replicas.ports)
    assert {a.tool for a in run.answers()} >= {"check_job", "wait_for_job", "list_jobs"}


async def test_a_replica_killed_under_load_leaves_every_job_to_the_other(
    idp: IdP, sandbox: Any, postgres_url: str, tmp_path: Path
) -> None:
    sandbox.control.configure(render_seconds=6)  # renders still running when the replica dies
    replicas = Replicas(idp, sandbox, postgres_url, tmp_path, env=LOAD_ENV)

    async def kill(run: LoadRun) -> None:
        await once_half_have_their_job(run)
        replicas.kill(0)

    run, balancer = await loaded(replicas, kill, retries=10, retry_pause=0.5)
    cut = run.protocol_errors()
    assert cut, "no call was on the killed replica"
    assert balancer.down == {replicas.ports[0]}
    assert balancer.refused == []  # no live replica answered with an error
    assert all(str(a.failure).startswith(CUT_OFF) for a in cut), {a.failure for a in cut}
    assert run.tool_errors() == []
    assert run.foreign_ids(owned_ids(run, postgres_url)) == []
    assert verify_jobs(run, postgres_url, sandbox) == []


async def test_calls_fail_clearly_while_the_database_restarts_and_nothing_is_lost(
    idp: IdP, sandbox: Any, restartable_postgres: LocalPostgres, tmp_path: Path
) -> None:
    database = create_database(restartable_postgres.admin_url)
    bound = {"PICTORY_MCP_CALL_TIMEOUT": str(CALL_BOUND)}
    replicas = Replicas(idp, sandbox, database, tmp_path, env={**LOAD_ENV, **bound})
    listening: list[bool] = []

    async def restart(run: LoadRun) -> None:
        await once_half_have_their_job(run)
        await anyio.to_thread.run_sync(restartable_postgres.stop)
        await anyio.sleep(12)  # longer than a replica waits for a pooled connection
        await anyio.to_thread.run_sync(restartable_postgres.start)
        await until_found(lambda: all(a.outcome or a.gave_up for a in run.agents), seconds=120)
        # Each replica's LISTEN connection comes back (it retries, waiting up to 5 s between).
        back = await until_found(lambda: listeners(database) == len(replicas.ports), seconds=30)
        listening.append(back)

    run, balancer = await loaded(replicas, restart, retries=40, retry_pause=1.0)
    failed = run.tool_errors()
    assert failed, "no call met the database down"
    assert balancer.refused == [] and run.protocol_errors() == []
    for answer in failed:
        assert STORE_DOWN.search(answer.text), answer.text
        assert "Traceback" not in answer.text
        limit = run.wait_timeout if answer.tool == "wait_for_job" else CALL_BOUND
        assert answer.seconds < limit + SLACK, (answer.tool, answer.seconds)
    assert listening == [True]
    assert verify_jobs(run, database, sandbox) == []
