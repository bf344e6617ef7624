"""Benchmark 6: 200 MCP agents of 10 users (SDK clients over streamable HTTP, real JWTs) on
two hosted replicas and one PostgreSQL, against the sandbox (`tests/hosted/load.py`): tool
latency under that load; then the same load with a replica SIGKILLed, and with PostgreSQL
stopped for 12 s and started again, half-way through the agents' creates.

Each agent: create_video_from_text, check_job, wait_for_job (10 s at a time) until its render
(RENDER_SECONDS on the sandbox clock) completes, list_jobs; after a failed call it waits
RETRY_PAUSE and calls again. Every run is checked as the tests check it (each job id
returned once, in the store once, made by the sandbox once, never in another user's answer);
`problems` lists what did not hold.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from hosted_stack import Stack, hosted_stack

from tests.hosted.load import LoadRun, once_half_have_their_job, owned_ids, under_load, verify_jobs

AGENTS = 200
RENDER_SECONDS = 3.0
RETRY_PAUSE = 0.5
TOOLS = ("create_video_from_text", "check_job", "wait_for_job", "list_jobs")


def _report(stack: Stack, run: LoadRun, **extra: Any) -> dict[str, Any]:
    failed = [a for a in run.answers() if a.failure or a.tool_error]
    return {
        "agents": AGENTS,
        "seconds": run.seconds,
        "calls": len(run.answers()),
        "calls_per_s": len(run.answers()) / run.seconds,
        "latency_ms": {tool: run.latency(tool) for tool in TOOLS},
        "latency_all_ms": run.latency(),
        "failed_calls": len(failed),
        "protocol_errors": len(run.protocol_errors()),
        "slowest_failed_call_s": max((a.seconds for a in failed), default=0.0),
        "problems": verify_jobs(run, stack.database, _Sandbox(stack))
        + [f"{u} saw {i} ({t})" for u, t, i in run.foreign_ids(owned_ids(run, stack.database))],
        **extra,
    }


class _Sandbox:
    """What `verify_jobs` reads of the sandbox."""

    def __init__(self, stack: Stack) -> None:
        self.control = stack.control


Disruption = Callable[[Stack, list[float]], Awaitable[None]]


async def _scenario(disrupt: Disruption | None = None, retries: int = 0) -> dict[str, Any]:
    """The load on a fresh deployment, with `disrupt(stack, marks)` once half the agents have
    their job (it notes the times that matter in `marks`)."""
    async with hosted_stack(replicas=2) as stack:
        stack.control.configure(render_seconds=RENDER_SECONDS)
        marks: list[float] = []

        async def meanwhile(run: LoadRun) -> None:
            if disrupt is not None:
                await once_half_have_their_job(run)
                await disrupt(stack, marks)

        cpu = stack.cpu()
        run, _ = await under_load(
            stack.replicas, meanwhile, clients=AGENTS, retries=retries, retry_pause=RETRY_PAUSE
        )
        used = {k: v - cpu[k] for k, v in stack.cpu().items() if k in cpu}
        failed = [a.started + a.seconds for a in run.answers() if a.failure or a.tool_error]
        last = max(a.started + a.seconds for a in run.answers())
        extra: dict[str, Any] = {"cpu_seconds": used}
        if marks:
            extra["seconds_from_disruption_to_last_answer"] = last - marks[0]
            extra["last_failure_after_disruption_ended_s"] = (
                max(failed, default=marks[-1]) - marks[-1]
            )
            extra["disruption_s"] = marks[-1] - marks[0]
        return _report(stack, run, **extra)


async def _kill(stack: Stack, marks: list[float]) -> None:
    stack.replicas.kill(0)
    marks.append(time.perf_counter())


async def _restart_database(stack: Stack, marks: list[float]) -> None:
    await anyio.to_thread.run_sync(stack.postgres.stop)
    marks.append(time.perf_counter())
    await anyio.sleep(12)
    await anyio.to_thread.run_sync(stack.postgres.start)
    marks.append(time.perf_counter())


async def _measure() -> dict[str, Any]:
    plain = await _scenario()
    killed = await _scenario(_kill, retries=20)
    restarted = await _scenario(_restart_database, retries=60)
    return {
        "render_seconds": RENDER_SECONDS,
        "load": plain,
        "replica_killed": killed,
        "database_restarted": restarted,
        "target": "no protocol error and nothing lost under load; nothing lost under failure",
        "ok": not (plain["problems"] or plain["protocol_errors"] or plain["failed_calls"])
        and not killed["problems"]
        and not restarted["problems"],
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    load, killed, restarted = r["load"], r["replica_killed"], r["database_restarted"]
    latency = ", ".join(
        f"{tool.split('_')[0]} {v['p50_ms']:.0f}/{v['p99_ms']:.0f}"
        for tool, v in load["latency_ms"].items()
        if v.get("calls")
    )
    return [
        (
            f"6 {load['agents']} agents, 2 replicas: p50/p99 ms",
            f"{latency}; {load['calls']} calls in {load['seconds']:.1f} s",
            f"{load['latency_all_ms']['p50_ms']:.0f}/{load['latency_all_ms']['p99_ms']:.0f} ms",
            "(reported)",
        ),
        (
            "6 ... and problems (lost, duplicated, foreign ids)",
            f"{load['protocol_errors']} protocol errors, {load['failed_calls']} failed calls",
            str(len(load["problems"])),
            "0",
        ),
        (
            "6 replica SIGKILLed half-way",
            f"{killed['failed_calls']} calls cut and retried; last answer "
            f"{killed['seconds_from_disruption_to_last_answer']:.1f} s after the kill",
            f"{len(killed['problems'])} problems",
            "0",
        ),
        (
            f"6 PostgreSQL down {restarted['disruption_s']:.0f} s half-way",
            f"{restarted['failed_calls']} calls failed (slowest "
            f"{restarted['slowest_failed_call_s']:.1f} s); last failure "
            f"{restarted['last_failure_after_disruption_ended_s']:.1f} s after restart",
            f"{len(restarted['problems'])} problems",
            "0",
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2, default=str))
