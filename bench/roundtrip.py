"""Benchmark 2: `check_job` over stdio against the sandbox, minus a direct httpx GET of the
same sandbox endpoint (`/v1/jobs/{id}`); the two are interleaved call by call."""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
import httpx
from common import (
    BARE_CMD,
    SERVER_CMD,
    completed_job,
    cpu_seconds,
    median,
    sandbox_env,
    sandbox_thread,
    server_env,
    stdio_session,
    temp_dir,
)

from pictory_mcp.sandbox import SANDBOX_API_KEY

WARMUP = 30


async def _measure(calls: int) -> dict[str, Any]:
    with sandbox_thread() as (sandbox, control), temp_dir() as tmp:
        async with (
            stdio_session(SERVER_CMD, sandbox_env(tmp, sandbox)) as (client, pid),
            httpx.AsyncClient(
                base_url=sandbox.api_base_url, headers={"Authorization": SANDBOX_API_KEY}
            ) as http,
        ):
            job_id = await completed_job(client, control)
            args = {"job_id": job_id}
            mcp_ms: list[float] = []
            http_ms: list[float] = []
            cpu = 0.0
            for i in range(WARMUP + calls):
                if i == WARMUP:
                    cpu = cpu_seconds(pid)
                start = time.perf_counter()
                result = await client.call_tool("check_job", args)
                middle = time.perf_counter()
                answer = await http.get(f"/v1/jobs/{job_id}")
                end = time.perf_counter()
                if result.is_error or answer.status_code != 200:
                    raise RuntimeError("a measured call failed")
                if i >= WARMUP:
                    mcp_ms.append((middle - start) * 1000)
                    http_ms.append((end - middle) * 1000)
            server_cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / calls
        async with stdio_session(BARE_CMD, server_env(tmp)) as (bare, bare_pid):
            bare_ms: list[float] = []
            for i in range(WARMUP + calls):
                if i == WARMUP:
                    cpu = cpu_seconds(bare_pid)
                start = time.perf_counter()
                await bare.call_tool("ping", {})
                if i >= WARMUP:
                    bare_ms.append((time.perf_counter() - start) * 1000)
            bare_cpu_ms = (cpu_seconds(bare_pid) - cpu) * 1000 / calls
    paired = [m - h for m, h in zip(mcp_ms, http_ms, strict=True)]
    overhead = median(mcp_ms) - median(http_ms)
    return {
        "calls": calls,
        "check_job_median_ms": median(mcp_ms),
        "direct_get_median_ms": median(http_ms),
        "overhead_ms": overhead,
        "paired_overhead_median_ms": median(paired),
        "bare_trivial_call_median_ms": median(bare_ms),
        "server_cpu_ms_per_check_job": server_cpu_ms,
        "bare_server_cpu_ms_per_call": bare_cpu_ms,
        "target": "overhead < 1.5 ms",
        "ok": overhead < 1.5,
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure, 100 if quick else 300)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (
            "2 check_job overhead (stdio)",
            f"{r['check_job_median_ms']:.2f} ms - {r['direct_get_median_ms']:.2f} ms GET "
            f"(bare call {r['bare_trivial_call_median_ms']:.2f} ms)",
            f"{r['overhead_ms']:.2f} ms",
            "< 1.5 ms",
        )
    ]


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
