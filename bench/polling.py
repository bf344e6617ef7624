"""Benchmark 4: Pictory requests per completed render while an agent waits on it.

Uses `wait_for_job` when the server lists it (else a check_job loop at the poll interval);
the sandbox clock runs in real time; requests are counted in the sandbox's request log.
"""

from __future__ import annotations

import json
from typing import Any

import anyio
from common import (
    SCRIPT,
    SERVER_CMD,
    sandbox_env,
    sandbox_thread,
    stdio_session,
    structured,
    temp_dir,
)

RENDER_SECONDS = 6.0
POLL_INTERVAL = 1.0


async def _measure(renders: int) -> dict[str, Any]:
    with sandbox_thread(render_seconds=RENDER_SECONDS) as (sandbox, control), temp_dir() as tmp:
        env = sandbox_env(tmp, sandbox, PICTORY_MCP_POLL_INTERVAL=str(POLL_INTERVAL))
        async with stdio_session(SERVER_CMD, env) as (client, _):
            names = {t.name for t in (await client.list_tools()).tools}
            method = "wait_for_job" if "wait_for_job" in names else "check_job loop"
            per_render: list[dict[str, Any]] = []
            for _ in range(renders):
                seen = control.requests()
                last_seq = max((r["seq"] for r in seen), default=0)
                start = anyio.current_time()
                created = structured(
                    await client.call_tool("create_video_from_text", {"script": SCRIPT})
                )
                job_id = created["job_id"]
                tool_calls = 0
                status = created.get("status")
                while status != "completed":
                    if anyio.current_time() - start > 10 * RENDER_SECONDS:
                        raise RuntimeError(f"job {job_id} never completed ({status})")
                    if method == "wait_for_job":
                        args = {"job_id": job_id, "timeout_seconds": 30}
                        view = structured(await client.call_tool("wait_for_job", args))
                    else:
                        await anyio.sleep(POLL_INTERVAL if tool_calls else 0)
                        view = structured(await client.call_tool("check_job", {"job_id": job_id}))
                    tool_calls += 1
                    status = view["status"]
                    if status == "failed":
                        raise RuntimeError(f"job {job_id} failed")
                elapsed = anyio.current_time() - start
                window = [r for r in control.requests() if r["seq"] > last_seq]
                job_gets = [
                    r
                    for r in window
                    if r["method"] == "GET" and r["path"].endswith(f"/v1/jobs/{job_id}")
                ]
                per_render.append(
                    {
                        "job_id": job_id,
                        "seconds_to_completed": elapsed,
                        "tool_calls": tool_calls,
                        "job_status_gets": len(job_gets),
                        "requests_for_job": sum(1 for r in window if r["job_id"] == job_id),
                        "all_requests": len(window),
                    }
                )
    bound = RENDER_SECONDS / POLL_INTERVAL + 2
    worst = max(r["job_status_gets"] for r in per_render)
    return {
        "method": method,
        "render_seconds": RENDER_SECONDS,
        "poll_interval_s": POLL_INTERVAL,
        "renders": per_render,
        "max_job_status_gets": worst,
        "max_all_requests": max(r["all_requests"] for r in per_render),
        "bound": bound,
        "target": "GET /v1/jobs/{id} per render <= render_seconds / poll_interval + 2",
        "ok": worst <= bound,
    }


def run(quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = anyio.run(_measure, 1 if quick else 3)
    return result


def summary(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (
            f"4 requests per render ({r['method']})",
            f"R={r['render_seconds']:g} s, P={r['poll_interval_s']:g} s; "
            f"all requests incl. POST: {r['max_all_requests']}",
            f"{r['max_job_status_gets']} GETs",
            f"<= {r['bound']:g}",
        )
    ]


if __name__ == "__main__":
    print(json.dumps(run(quick=True), indent=2))
