"""Benchmark 3: streamable HTTP throughput with 50 concurrent client sessions: `check_job` on
a completed sandbox job against the bare server's trivial tool. Servers and sandbox are
subprocesses on loopback ports; the clients share this process.

Measured twice: every client checking the same job (the benchmark as first defined; the
server's concurrent polls of one job then share Pictory requests), and every client checking
a job of its own (every call then costs a Pictory request)."""

from __future__ import annotations

import json
import time
from contextlib import AsyncExitStack
from typing import Any

import anyio
from common import (
    BARE_CMD,
    SERVER_CMD,
    completed_job,
    cpu_seconds,
    http_process,
    sandbox_process,
    server_env,
    temp_dir,
)
from mcp import Client

from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import SandboxControl

CLIENTS = 50


async def _load(
    url: str, tool: str, args: dict[str, Any] | list[dict[str, Any]], seconds: float
) -> int:
    """Open CLIENTS sessions, warm each with one call, then count calls for `seconds`.
    `args` is one argument set for every client, or one per client."""
    done = 0
    per_client = args if isinstance(args, list) else [args] * CLIENTS
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(Client(url)) for _ in range(CLIENTS)]
        for client, mine in zip(clients, per_client, strict=True):
            await client.call_tool(tool, mine)
        deadline = anyio.current_time() + seconds

        async def worker(client: Client, mine: dict[str, Any]) -> None:
            nonlocal done
            while anyio.current_time() < deadline:
                result = await client.call_tool(tool, mine)
                if result.is_error:
                    raise RuntimeError(f"{tool} failed under load")
                if anyio.current_time() <= deadline:  # calls still in flight at the end don't count
                    done += 1

        async with anyio.create_task_group() as tg:
            for client, mine in zip(clients, per_client, strict=True):
                tg.start_soon(worker, client, mine)
    return done


async def _one_round(
    port: int, pid: int, tool: str, args: dict[str, Any] | list[dict[str, Any]], seconds: float
) -> dict[str, float]:
    url = f"http://127.0.0.1:{port}/mcp"
    cpu_before = cpu_seconds(pid)
    start = time.perf_counter()
    calls = await _load(url, tool, args, seconds)
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu_before
    return {
        "calls": calls,
        "calls_per_s": calls / seconds,
        "server_cpu_ms_per_call": cpu * 1000 / max(calls, 1),
        "wall_s": elapsed,
    }


async def _measure(seconds: float, rounds: int) -> dict[str, Any]:
    with temp_dir() as tmp, sandbox_process() as root:
        env = server_env(tmp, api_key=SANDBOX_API_KEY, base_url=root + "/pictoryapis")
        with (
            http_process(SERVER_CMD, env) as (port, pid),
            http_process(BARE_CMD, server_env(tmp)) as (bare_port, bare_pid),
            SandboxControl(root) as control,
        ):
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                job_id = await completed_job(client, control)
                own = [{"job_id": await completed_job(client, control)} for _ in range(CLIENTS)]
            ours: list[dict[str, float]] = []
            distinct: list[dict[str, float]] = []
            bare: list[dict[str, float]] = []
            for _ in range(rounds):  # alternate, so drift on a shared machine hits both
                ours.append(await _one_round(port, pid, "check_job", {"job_id": job_id}, seconds))
                bare.append(await _one_round(bare_port, bare_pid, "ping", {}, seconds))
                distinct.append(await _one_round(port, pid, "check_job", own, seconds))
    ours_rate = sum(r["calls"] for r in ours) / (seconds * rounds)
    bare_rate = sum(r["calls"] for r in bare) / (seconds * rounds)
    distinct_rate = sum(r["calls"] for r in distinct) / (seconds * rounds)
    return {
        "distinct_jobs_calls_per_s": distinct_rate,
        "distinct_jobs_ratio": distinct_rate / bare_rate,
        "distinct_jobs_rounds": distinct,
        "clients": CLIENTS,
        "seconds_per_round": seconds,
        "rounds": rounds,
        "check_job_calls_per_s": ours_rate,
        "bare_calls_per_s": bare_rate,
        "ratio": ours_rate / bare_rate,
        "check_job_rounds": ours,
        "bare_rounds": bare,
        "target": "ratio >= 0.7 with one job and with a job each",
        "ok": min(ours_rate, distinct_rate) / bare_rate >= 0.7,
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure, 4.0 if quick else 10.0, 1 if quick else 3)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = [
        (
            f"3 HTTP throughput, {r['clients']} clients, one job",
            f"{r['check_job_calls_per_s']:.0f}/s vs {r['bare_calls_per_s']:.0f}/s",
            f"{r['ratio']:.2f}x",
            ">= 0.7x",
        )
    ]
    if "distinct_jobs_ratio" in r:
        rows.append(
            (
                f"3 HTTP throughput, {r['clients']} clients, a job each",
                f"{r['distinct_jobs_calls_per_s']:.0f}/s vs {r['bare_calls_per_s']:.0f}/s",
                f"{r['distinct_jobs_ratio']:.2f}x",
                ">= 0.7x",
            )
        )
    return rows


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
