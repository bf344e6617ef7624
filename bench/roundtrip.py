"""Benchmark 2: `check_job` over stdio against the sandbox, minus a direct httpx GET of the
same sandbox endpoint (`/v1/jobs/{id}`); the two are interleaved call by call.

Measured with the sandbox in its own process (as Pictory is another machine), and, as first
defined, with the sandbox in a thread of this process. In the second placement the client
waiting for `check_job`'s answer shares this process's GIL with the sandbox, which is still
finishing the server's GET (logging it, closing the exchange) when the answer arrives; that
wait is charged to `check_job` but not to the direct GET, whose client is the same thread.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
from common import (
    BARE_CMD,
    SERVER_CMD,
    completed_job,
    cpu_seconds,
    median,
    sandbox_process,
    sandbox_thread,
    server_env,
    stdio_session,
    temp_dir,
)

from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import SandboxControl

WARMUP = 30


@contextmanager
def _sandbox(placement: str) -> Iterator[tuple[str, SandboxControl]]:
    """(API base URL, control) of a sandbox in its own process or in a thread of this one."""
    if placement == "process":
        with sandbox_process() as root, SandboxControl(root) as control:
            yield root + "/pictoryapis", control
    else:
        with sandbox_thread() as (sandbox, control):
            yield sandbox.api_base_url, control


async def _timed(
    pid: int, calls: int, step: Callable[[], Awaitable[list[float]]]
) -> tuple[list[list[float]], float]:
    """Run `step` WARMUP + `calls` times; its timings after the warm-up, one list per value it
    returns, and the server's CPU ms per measured call."""
    kept: list[list[float]] = []
    cpu = 0.0
    for i in range(WARMUP + calls):
        if i == WARMUP:
            cpu = cpu_seconds(pid)
        values = await step()
        if i >= WARMUP:
            kept.append(values)
    return [list(column) for column in zip(*kept, strict=True)], (
        cpu_seconds(pid) - cpu
    ) * 1000 / calls


async def _check_job_vs_get(placement: str, calls: int, tmp: Path) -> dict[str, Any]:
    with _sandbox(placement) as (api, control):
        env = server_env(tmp, api_key=SANDBOX_API_KEY, base_url=api)
        async with (
            stdio_session(SERVER_CMD, env) as (client, pid),
            httpx.AsyncClient(base_url=api, headers={"Authorization": SANDBOX_API_KEY}) as http,
        ):
            job_id = await completed_job(client, control)

            async def step() -> list[float]:
                start = time.perf_counter()
                result = await client.call_tool("check_job", {"job_id": job_id})
                middle = time.perf_counter()
                answer = await http.get(f"/v1/jobs/{job_id}")
                end = time.perf_counter()
                if result.is_error or answer.status_code != 200:
                    raise RuntimeError("a measured call failed")
                return [(middle - start) * 1000, (end - middle) * 1000]

            (mcp_ms, http_ms), server_cpu_ms = await _timed(pid, calls, step)
    paired = [m - h for m, h in zip(mcp_ms, http_ms, strict=True)]
    return {
        "check_job_median_ms": median(mcp_ms),
        "direct_get_median_ms": median(http_ms),
        "overhead_ms": median(mcp_ms) - median(http_ms),
        "paired_overhead_median_ms": median(paired),
        "server_cpu_ms_per_check_job": server_cpu_ms,
    }


async def _trivial_call(
    cmd: list[str], calls: int, tmp: Path, tool: str = "ping", args: dict[str, Any] | None = None
) -> tuple[float, float]:
    """Median ms of a bare server's tool call over stdio, and the server's CPU ms per call."""
    async with stdio_session(cmd, server_env(tmp)) as (bare, pid):

        async def step() -> list[float]:
            start = time.perf_counter()
            await bare.call_tool(tool, args or {})
            return [(time.perf_counter() - start) * 1000]

        (times,), cpu_ms = await _timed(pid, calls, step)
        return median(times), cpu_ms


async def _measure(calls: int) -> dict[str, Any]:
    with temp_dir() as tmp:
        separate = await _check_job_vs_get("process", calls, tmp / "process")
        shared = await _check_job_vs_get("thread", calls, tmp / "thread")
        bare_ms, bare_cpu_ms = await _trivial_call(BARE_CMD, calls, tmp)
        piped_ms, _ = await _trivial_call([*BARE_CMD, "--pipes"], calls, tmp)
        # The SDK's own cost for a tool that takes as long as the GET did, with no request.
        ms = separate["direct_get_median_ms"]
        works = {"ms": ms}
        sdk_work, _ = await _trivial_call([*BARE_CMD, "--with-work"], calls, tmp, "work", works)
        pipe_work, _ = await _trivial_call(
            [*BARE_CMD, "--with-work", "--pipes"], calls, tmp, "work", works
        )
    return {
        "bare_work_tool": {
            "work_ms": ms,
            "sdk_transport_overhead_ms": sdk_work - ms,
            "pipe_transport_overhead_ms": pipe_work - ms,
        },
        "calls": calls,
        **separate,
        "sandbox_in_bench_thread": shared,
        "bare_trivial_call_median_ms": bare_ms,
        "bare_on_pipe_transport_median_ms": piped_ms,
        "bare_server_cpu_ms_per_call": bare_cpu_ms,
        "target": "overhead < 1.5 ms (sandbox in its own process)",
        "ok": separate["overhead_ms"] < 1.5,
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure, 100 if quick else 300)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    floor = f"bare call {r['bare_trivial_call_median_ms']:.2f} ms"
    if "bare_on_pipe_transport_median_ms" in r:
        floor += f", on pipes {r['bare_on_pipe_transport_median_ms']:.2f} ms"
    rows = [
        (
            "2 check_job overhead (stdio)",
            f"{r['check_job_median_ms']:.2f} ms - {r['direct_get_median_ms']:.2f} ms GET ({floor})",
            f"{r['overhead_ms']:.2f} ms",
            "< 1.5 ms",
        )
    ]
    work = r.get("bare_work_tool")
    if work:
        rows.append(
            (
                "2 ... bare tool busy as long",
                f"over its {work['work_ms']:.2f} ms of work: SDK stdio "
                f"{work['sdk_transport_overhead_ms']:.2f} ms, pipes",
                f"{work['pipe_transport_overhead_ms']:.2f} ms",
                "(floor)",
            )
        )
    shared = r.get("sandbox_in_bench_thread")
    if shared:
        rows.append(
            (
                "2 ... sandbox in a bench thread",
                f"{shared['check_job_median_ms']:.2f} ms - "
                f"{shared['direct_get_median_ms']:.2f} ms GET",
                f"{shared['overhead_ms']:.2f} ms",
                "< 1.5 ms",
            )
        )
    return rows


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
