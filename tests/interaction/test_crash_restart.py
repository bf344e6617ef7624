"""The server process is SIGKILLed over stdio while submissions are in flight; after a restart on
the same job database every job id a client received is in the history and runs to completion.

A job id that no client received (the process died between Pictory's answer and the tool's
answer) need not be in the history: nobody can be waiting on it. The history record is written
before the tool answers, so a received id is always on disk.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests._helpers import server_env, structured, text_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

# Writes its own pid, then becomes the server (exec keeps the pid), so the test can kill it.
LAUNCH = (
    "import os, sys; open(sys.argv[1], 'w').write(str(os.getpid())); "
    "os.execv(sys.executable, [sys.executable, '-m', 'pictory_mcp'])"
)
RENDER = "/v2/video/storyboard/render"


def params(sandbox: Any, tmp_path: Path, pidfile: Path | None = None) -> StdioServerParameters:
    env = server_env(sandbox, tmp_path)
    if pidfile is None:
        return StdioServerParameters(command=sys.executable, args=["-m", "pictory_mcp"], env=env)
    return StdioServerParameters(command=sys.executable, args=["-c", LAUNCH, str(pidfile)], env=env)


def renders_logged(sandbox: Any) -> int:
    return sum(1 for r in sandbox.control.requests(method="POST") if r["path"].endswith(RENDER))


async def until(check: Callable[[], bool], seconds: float = 20.0) -> None:
    """Poll `check` (a blocking sandbox look-up) until it holds, for at most `seconds`."""
    with anyio.fail_after(seconds):
        while True:
            if await anyio.to_thread.run_sync(check):
                return
            await anyio.sleep(0.05)


async def test_every_job_id_received_before_a_sigkill_survives_the_restart(
    sandbox: Any, tmp_path: Path
) -> None:
    pidfile = tmp_path / "server.pid"
    received: list[str] = []
    lost_calls: list[BaseException] = []

    async def create(client: Client, n: int) -> None:
        try:
            result = await client.call_tool(
                "create_video_from_text", {"script": f"Crash story {n} runs down to the sea."}
            )
        except Exception as exc:  # the server died under this call
            lost_calls.append(exc)
            return
        if not result.is_error:
            received.append(structured(result)["job_id"])
        else:
            lost_calls.append(RuntimeError(text_of(result)))

    async with Client(params(sandbox, tmp_path, pidfile)) as client:
        for n in range(3):
            await create(client, n)
        assert len(received) == 3
        # Now slow every Pictory answer so the next submissions are caught mid-way.
        await anyio.to_thread.run_sync(lambda: sandbox.control.configure(latency_ms=400))
        async with anyio.create_task_group() as group:
            for n in range(3, 7):
                group.start_soon(create, client, n)
            # Kill once Pictory has made the first of them: its answer may be on the way.
            await until(lambda: renders_logged(sandbox) >= 4)
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
            # No call may hang on a dead server: each one answers or fails.
            await until(lambda: len(received) + len(lost_calls) == 7)
    assert len(received) >= 3 and lost_calls, "the kill did not interrupt any call"

    await anyio.to_thread.run_sync(lambda: sandbox.control.configure(latency_ms=0))
    await anyio.to_thread.run_sync(lambda: sandbox.control.advance_clock(3600))
    async with Client(params(sandbox, tmp_path)) as client:
        listing = json.loads((await client.read_resource("pictory://jobs")).contents[0].text)  # type: ignore[union-attr]
        in_history = {job["job_id"] for job in listing["jobs"]}
        assert set(received) <= in_history
        for job_id in received:
            with anyio.fail_after(20):
                result = await client.call_tool("check_job", {"job_id": job_id})
            assert structured(result)["status"] == "completed", text_of(result)
