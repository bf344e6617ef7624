"""Two servers on one job history (two desktop apps, two processes) both run a workflow engine:
each highlights step is still sent to Pictory exactly once, and no workflow is failed as
"stopped while submitting" while its owner is alive. Checked in-process (repeatedly) and with
two real stdio server processes."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import posts, serve_http, server_env, structured

pytestmark = pytest.mark.anyio

MEDIA = "https://media.example.com/talks/keynote-{n}.mp4"
STEP_PATHS = {"transcription": "/v2/transcription", "highlights": "/highlights"}
RENDER = "/v2/video/storyboard/render"
WORKFLOWS = 3


def step_posts(sandbox: Any) -> dict[str, int]:
    counts = {step: len(posts(sandbox, path)) for step, path in STEP_PATHS.items()}
    counts["render"] = len(posts(sandbox, RENDER))
    return counts


async def run_race(
    sandbox: Any, clients: list[Client], check: Callable[[Client, str], Awaitable[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Start the workflows on the first client, then let every client poll them to the end."""
    ids = []
    for n in range(WORKFLOWS):
        view = structured(
            await clients[0].call_tool(
                "create_video_highlights",
                {"media_url": MEDIA.format(n=n), "duration_seconds": 30},
            )
        )
        ids.append(view["job_id"])
    finished: dict[str, dict[str, Any]] = {}
    with anyio.fail_after(60):
        while len(finished) < len(ids):
            for client in clients:
                for workflow_id in ids:
                    view = await check(client, workflow_id)
                    if view["status"] in ("completed", "failed"):
                        finished[workflow_id] = view
            await anyio.sleep(0.1)
    return [finished[i] for i in ids]


async def check_in_process(client: Client, job_id: str) -> dict[str, Any]:
    return structured(await client.call_tool("check_job", {"job_id": job_id}))


@pytest.mark.parametrize("round_", range(3))
async def test_two_servers_on_one_history_send_each_step_once(
    settings: Settings, sandbox: Any, round_: int
) -> None:
    # Slow answers widen the window in which two engines could both take a step.
    sandbox.control.configure(latency_ms=150)
    fast = settings.model_copy(update={"poll_interval": 0.2})
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(Client(build_server(fast))) for _ in range(2)]
        views = await run_race(sandbox, clients, check_in_process)
    assert [v["status"] for v in views] == ["completed"] * WORKFLOWS, views
    assert step_posts(sandbox) == {"transcription": 3, "highlights": 3, "render": 3}


@pytest.mark.slow
async def test_two_stdio_server_processes_on_one_history_send_each_step_once(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(latency_ms=150)
    env = {**server_env(sandbox, tmp_path), "PICTORY_MCP_POLL_INTERVAL": "1"}
    server = StdioServerParameters(command=sys.executable, args=["-m", "pictory_mcp"], env=env)
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(Client(server)) for _ in range(2)]
        views = await run_race(sandbox, clients, check_in_process)
    assert [v["status"] for v in views] == ["completed"] * WORKFLOWS, views
    assert step_posts(sandbox) == {"transcription": 3, "highlights": 3, "render": 3}


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(2))
async def test_two_sse_clients_of_one_server_send_each_step_once(
    sandbox: Any, tmp_path: Path, round_: int
) -> None:
    sandbox.control.configure(latency_ms=150)
    env = {**server_env(sandbox, tmp_path), "PICTORY_MCP_POLL_INTERVAL": "1"}
    for port in serve_http(env, "sse"):
        url = f"http://127.0.0.1:{port}/sse"
        async with AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(Client(sse_client(url))) for _ in range(2)]
            views = await run_race(sandbox, clients, check_in_process)
        assert [v["status"] for v in views] == ["completed"] * WORKFLOWS, views
        assert step_posts(sandbox) == {"transcription": 3, "highlights": 3, "render": 3}
