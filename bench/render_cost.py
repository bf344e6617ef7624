"""Benchmark 8: what one render costs a hosted deployment of two replicas, with N agents (1, 5,
20) waiting on it through a balancer without affinity: requests to Pictory (the sandbox's
log), store transactions and rows (PostgreSQL's counters), change notifications (a LISTEN of
our own), and replica CPU per create call; once with Pictory's webhooks off (the replicas
poll) and once with them on (the sandbox calls the first replica's webhook route when a job
finishes), each on a deployment of its own.

The sandbox clock runs in real time with renders of RENDER_SECONDS; replicas poll every
POLL_INTERVAL. Each agent calls `wait_for_job(job_id, 30)` until the job completes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import anyio
import psycopg
from hosted_stack import USERS, RawClient, Stack, hosted_stack

from pictory_mcp.jobs._pg import CHANNEL
from tests.hosted.fleet import Backends

RENDER_SECONDS = 6.0
POLL_INTERVAL = 1.0
AGENTS = (1, 5, 20)
CREATES = 40  # create calls timed for their CPU
SCRIPT = "Render {n} tells a short story. The river runs to the sea. The story ends."


@dataclass(frozen=True)
class Mode:
    webhooks: bool  # Pictory's webhooks reach the replicas (else they poll)
    most_gets: float  # GET /v1/jobs/{id} a render may cost, whatever the agents waiting


MODES = {
    "webhooks off": Mode(False, RENDER_SECONDS / POLL_INTERVAL + 2),
    "webhooks on": Mode(True, 2),
}


class Notifications:
    """Every job-change notification of the store, heard on a connection of our own."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.heard: list[str] = []

    async def listen(self, *, task_status: Any = anyio.TASK_STATUS_IGNORED) -> None:
        async with await psycopg.AsyncConnection.connect(self.database, autocommit=True) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            task_status.started()
            async for note in conn.notifies():
                self.heard.append(note.payload.rpartition("\t")[2])


async def _one_render(stack: Stack, user: str, agents: int, heard: Notifications) -> dict[str, Any]:
    replicas = stack.replicas
    balancer = Backends(replicas.ports)
    seen = max((r["seq"] for r in stack.control.requests()), default=0)
    counters, notes, cpu = stack.store_counters(), len(heard.heard), stack.cpu()
    async with replicas.client(user, backends=balancer, mode="2026-07-28") as creator:
        created = await creator.call_tool(
            "create_video_from_text", {"script": SCRIPT.format(n=agents)}
        )
    assert isinstance(created.structured_content, dict), created
    job_id = created.structured_content["job_id"]

    async def follow() -> None:
        async with replicas.client(user, backends=balancer, mode="2026-07-28") as agent:
            with anyio.fail_after(20 * RENDER_SECONDS):
                while True:
                    args = {"job_id": job_id, "timeout_seconds": 30}
                    view = (await agent.call_tool("wait_for_job", args)).structured_content
                    assert isinstance(view, dict), view
                    if view["status"] == "completed":
                        return
                    if view["status"] not in ("submitting", "submitted", "in-progress"):
                        raise RuntimeError(f"job {job_id} ended {view['status']}")

    async with anyio.create_task_group() as group:
        for _ in range(agents):
            group.start_soon(follow)
    await anyio.sleep(0.5)  # the last notifications arrive
    after, cpu_after = stack.store_counters(), stack.cpu()
    window = [r for r in stack.control.requests() if r["seq"] > seen]
    return {
        "agents": agents,
        "cpu_ms": {name: (cpu_after[name] - cpu[name]) * 1000 for name in cpu},
        "job_id": job_id,
        "job_gets": sum(1 for r in window if r["method"] == "GET" and r["path"].endswith(job_id)),
        "posts": sum(1 for r in window if r["method"] == "POST"),
        "job_lists": sum(1 for r in window if r["path"].endswith("/v1/jobs")),
        "all_requests": len(window),
        "store": {name: after[name] - counters[name] for name in after},
        "notifications": len(heard.heard) - notes,
        "notifications_of_job": heard.heard[notes:].count(job_id),
    }


async def _idle(stack: Stack, heard: Notifications) -> dict[str, Any]:
    """What the replicas do with nobody calling, each with every user's tenant, over as long
    as a render takes (their background loops)."""
    counters, notes, cpu = stack.store_counters(), len(heard.heard), stack.cpu()
    await anyio.sleep(RENDER_SECONDS + 1)
    after, cpu_after = stack.store_counters(), stack.cpu()
    return {
        "seconds": RENDER_SECONDS + 1,
        "tenants_per_replica": len(USERS),
        "cpu_ms": {name: (cpu_after[name] - cpu[name]) * 1000 for name in cpu},
        "store": {name: after[name] - counters[name] for name in after},
        "notifications": len(heard.heard) - notes,
    }


async def _create_cpu(stack: Stack) -> dict[str, float]:
    """Replica CPU per create call: CREATES renders (never finishing) made on replica 1."""
    stack.control.configure(render_seconds=86400)
    clients = [RawClient(stack.url(0), stack.replicas.team.token(user)) for user in USERS]
    try:
        for client in clients:  # warm: each user's tenant and voice list
            await client.call("list_voices", {})
        before = stack.cpu()
        for n in range(CREATES):
            client = clients[n % len(clients)]
            await client.call("create_video_from_text", {"script": SCRIPT.format(n=f"c{n}")})
        after = stack.cpu()
    finally:
        for client in clients:
            await client.aclose()
    return {name: (after[name] - before[name]) * 1000 / CREATES for name in after}


async def _one_mode(mode: Mode, renders: int) -> dict[str, Any]:
    env = {"PICTORY_MCP_POLL_INTERVAL": str(POLL_INTERVAL)}
    async with hosted_stack(replicas=2, env=env, webhooks=mode.webhooks) as stack:
        stack.control.configure(render_seconds=RENDER_SECONDS)
        heard = Notifications(stack.database)
        results: list[dict[str, Any]] = []
        for user in USERS:  # every user's tenant on each replica, its voice list cached
            for port in stack.replicas.ports:
                async with stack.replicas.client(user, [port], mode="2026-07-28") as c:
                    await c.call_tool("list_voices", {})
        async with anyio.create_task_group() as group:
            await group.start(heard.listen)
            idle = await _idle(stack, heard)
            for n, agents in enumerate(a for a in AGENTS for _ in range(renders)):
                results.append(await _one_render(stack, USERS[n % len(USERS)], agents, heard))
            group.cancel_scope.cancel()
        create_cpu = await _create_cpu(stack)
    worst = {
        a: max((r for r in results if r["agents"] == a), key=lambda r: r["job_gets"])
        for a in AGENTS
    }
    return {
        "renders": results,
        "worst_by_agents": worst,
        "most_gets": mode.most_gets,
        "idle": idle,
        "create_cpu_ms_per_call": create_cpu,
        "ok": max(w["job_gets"] for w in worst.values()) <= mode.most_gets,
    }


async def _measure(renders: int) -> dict[str, Any]:
    modes = {name: await _one_mode(mode, renders) for name, mode in MODES.items()}
    return {
        "render_seconds": RENDER_SECONDS,
        "poll_interval_s": POLL_INTERVAL,
        "modes": modes,
        "target": "job GETs per render within each mode's bound, whatever the agents waiting",
        "ok": all(m["ok"] for m in modes.values()),
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure, 1 if quick else 2)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for name, mode in r["modes"].items():
        for agents, w in sorted(mode["worst_by_agents"].items(), key=lambda kv: int(kv[0])):
            store = w["store"]
            rows.append(
                (
                    f"8 one render, {agents} agent(s) waiting, {name}",
                    f"{w['posts']} POST, {w['job_lists']} list, {w['all_requests']} requests in "
                    f"all; store {store['commits']} commits, {store['inserted']}+"
                    f"{store['updated']} rows ins+upd; {w['notifications']} notifications",
                    f"{w['job_gets']} GETs",
                    f"<= {mode['most_gets']:g}",
                )
            )
        cpu = mode["create_cpu_ms_per_call"]
        replicas = sum(v for k, v in cpu.items() if k.startswith("replica"))
        rows.append(
            (
                f"8 create_video_from_text CPU per call, {name}",
                f"replicas {replicas:.1f}, postgres {cpu['postgres']:.1f}, "
                f"sandbox {cpu['sandbox']:.1f} ms",
                "",
                "(context)",
            )
        )
    return rows


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
