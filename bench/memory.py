"""Benchmark 5: resident memory (VmRSS) of the server after many `check_job` calls over stdio
on a completed sandbox job, against the bare server after as many trivial calls."""

from __future__ import annotations

import json
from typing import Any

import anyio
from common import (
    BARE_CMD,
    SERVER_CMD,
    completed_job,
    proc_status,
    sandbox_env,
    sandbox_thread,
    server_env,
    stdio_session,
    temp_dir,
)
from mcp import Client

KB = 1024


async def _calls(
    client: Client, pid: int, tool: str, args: dict[str, Any], n: int
) -> dict[str, int]:
    start_kb = proc_status(pid, "VmRSS")
    midway_kb = start_kb
    for i in range(n):
        result = await client.call_tool(tool, args)
        if result.is_error:
            raise RuntimeError(f"{tool} failed")
        if i == n // 2:
            midway_kb = proc_status(pid, "VmRSS")
    return {
        "rss_start_kb": start_kb,
        "rss_midway_kb": midway_kb,
        "rss_end_kb": proc_status(pid, "VmRSS"),
        "hwm_end_kb": proc_status(pid, "VmHWM"),
    }


async def _measure(calls: int) -> dict[str, Any]:
    with sandbox_thread() as (sandbox, control), temp_dir() as tmp:
        async with stdio_session(SERVER_CMD, sandbox_env(tmp, sandbox)) as (client, pid):
            job_id = await completed_job(client, control)
            ours = await _calls(client, pid, "check_job", {"job_id": job_id}, calls)
        async with stdio_session(BARE_CMD, server_env(tmp)) as (client, pid):
            bare = await _calls(client, pid, "ping", {}, calls)
    return {
        "calls": calls,
        "pictory": ours,
        "bare": bare,
        "ratio_end": ours["rss_end_kb"] / bare["rss_end_kb"],
        "growth_second_half_kb": {
            "pictory": ours["rss_end_kb"] - ours["rss_midway_kb"],
            "bare": bare["rss_end_kb"] - bare["rss_midway_kb"],
        },
        "target": "none given; reported",
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure, 2000 if quick else 10_000)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    ours, bare = r["pictory"], r["bare"]
    return [
        (
            f"5 RSS after {r['calls']:,} calls",
            f"{ours['rss_end_kb'] / KB:.1f} MiB (start {ours['rss_start_kb'] / KB:.1f}) vs "
            f"{bare['rss_end_kb'] / KB:.1f} MiB (start {bare['rss_start_kb'] / KB:.1f})",
            f"{r['ratio_end']:.2f}x",
            "(none)",
        )
    ]


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
