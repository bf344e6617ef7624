"""Benchmark 7: `check_job` throughput of hosted mode on two replicas against one, every worker
on a completed job of its own (so every call costs the replica a store read and a Pictory
request), and where the machine's CPU goes (`bench/hosted_stack.py`).

Workers send bare JSON-RPC POSTs, one kept-alive connection each, so that client CPU stays
small next to the servers'. One replica: every worker on replica 1; two: worker i on replica
i mod 2. Rounds alternate, so drift on a shared machine hits both.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import anyio
from hosted_stack import USERS, RawClient, Stack, busy_cpus, hosted_stack

WORKERS = 50
SCRIPT = "Worker {n} checks on its own video. The river runs to the sea."


async def _jobs(stack: Stack) -> list[tuple[str, str]]:
    """(user, job id) of one completed job per worker, spread over the users."""
    made: list[tuple[str, str]] = []
    for n in range(WORKERS):
        user = USERS[n % len(USERS)]
        client = RawClient(stack.url(0), stack.replicas.team.token(user))
        try:
            view = await client.call("create_video_from_text", {"script": SCRIPT.format(n=n)})
        finally:
            await client.aclose()
        made.append((user, view["job_id"]))
    stack.control.advance_clock(3600)
    return made


async def _round(
    stack: Stack, jobs: list[tuple[str, str]], replicas: int, seconds: float
) -> dict[str, Any]:
    clients = [
        RawClient(stack.url(n % replicas), stack.replicas.team.token(user))
        for n, (user, _) in enumerate(jobs)
    ]
    took: list[float] = []
    try:
        for client, (_, job_id) in zip(clients, jobs, strict=True):  # warm: tenants, models
            await client.call("check_job", {"job_id": job_id})
        cpu_before, machine_before = stack.cpu(), busy_cpus()
        deadline = anyio.current_time() + seconds

        async def worker(client: RawClient, job_id: str) -> None:
            while anyio.current_time() < deadline:
                start = time.perf_counter()
                view = await client.call("check_job", {"job_id": job_id})
                if view["status"] != "completed":
                    raise RuntimeError(f"job {job_id} is {view['status']}")
                if anyio.current_time() <= deadline:  # calls still in flight at the end don't count
                    took.append(time.perf_counter() - start)

        async with anyio.create_task_group() as group:
            for client, (_, job_id) in zip(clients, jobs, strict=True):
                group.start_soon(worker, client, job_id)
        cpu_after, machine_after = stack.cpu(), busy_cpus()
    finally:
        for client in clients:
            await client.aclose()
    calls = len(took)
    cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_after}
    busy = (machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1])
    return {
        "replicas": replicas,
        "calls": calls,
        "calls_per_s": calls / seconds,
        "p50_ms": statistics.median(took) * 1000,
        "p99_ms": sorted(took)[int(0.99 * (calls - 1))] * 1000,
        "cpu_ms_per_call": {name: used * 1000 / calls for name, used in cpu.items()},
        "machine_busy": busy,
    }


async def _measure(seconds: float, rounds: int) -> dict[str, Any]:
    async with hosted_stack(replicas=2) as stack:
        jobs = await _jobs(stack)
        one: list[dict[str, Any]] = []
        two: list[dict[str, Any]] = []
        for _ in range(rounds):
            one.append(await _round(stack, jobs, 1, seconds))
            two.append(await _round(stack, jobs, 2, seconds))
    rate_one = sum(r["calls"] for r in one) / (seconds * rounds)
    rate_two = sum(r["calls"] for r in two) / (seconds * rounds)
    return {
        "workers": WORKERS,
        "seconds_per_round": seconds,
        "rounds": rounds,
        "one_replica_calls_per_s": rate_one,
        "two_replicas_calls_per_s": rate_two,
        "ratio": rate_two / rate_one,
        "one_replica_rounds": one,
        "two_replicas_rounds": two,
        "target": "two replicas >= 1.8x one",
        "ok": rate_two / rate_one >= 1.8,
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure, 4.0 if quick else 8.0, 1 if quick else 3)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    last_one, last_two = r["one_replica_rounds"][-1], r["two_replicas_rounds"][-1]

    def split(round_: dict[str, Any]) -> str:
        per = round_["cpu_ms_per_call"]
        replicas = sum(v for k, v in per.items() if k.startswith("replica"))
        return (
            f"replicas {replicas:.1f}, postgres {per['postgres']:.1f}, sandbox "
            f"{per['sandbox']:.1f}, client {per['bench']:.1f} ms CPU/call; machine "
            f"{round_['machine_busy']:.0%} busy"
        )

    return [
        (
            f"7 check_job, {r['workers']} workers, a job each: 2 replicas vs 1",
            f"{r['two_replicas_calls_per_s']:.0f}/s vs {r['one_replica_calls_per_s']:.0f}/s",
            f"{r['ratio']:.2f}x",
            ">= 1.8x",
        ),
        ("7   one replica (last round)", split(last_one), "", "(context)"),
        ("7   two replicas (last round)", split(last_two), "", "(context)"),
    ]


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
