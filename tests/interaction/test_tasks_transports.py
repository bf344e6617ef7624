"""Renders as tasks beyond the in-process client: over stdio in both protocol eras, across a
restart of the server (a new process on the same job history still answers for the old task
ids, cancellations included), and over streamable HTTP with webhooks, where following a task
costs Pictory nothing but the webhook's own confirmation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult

from tests._helpers import (
    TaskHandle,
    TasksClient,
    cancel_task,
    free_port,
    get_task,
    job_gets,
    make_settings,
    server_env,
    serving,
    structured,
    until_found,
)

pytestmark = pytest.mark.anyio

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."


async def start_task(client: Client, script: str = SCRIPT) -> TaskHandle:
    handle = await client.session.call_tool(
        "create_video_from_text", {"script": script}, allow_claimed=True
    )
    assert isinstance(handle, TaskHandle), handle
    return handle


@pytest.mark.slow
async def test_over_stdio_tasks_outlive_the_server_process_and_2025_clients_keep_job_ids(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(render_seconds=60)
    env = server_env(sandbox, tmp_path)
    stdio = StdioServerParameters(command=sys.executable, args=["-m", "pictory_mcp"], env=env)
    async with Client(stdio, extensions=[TasksClient()]) as first:
        kept = await start_task(first)
        dropped = await start_task(first, SCRIPT + " Twice.")
        assert (await get_task(first.session, kept.task_id)).status == "working"
        await cancel_task(first.session, dropped.task_id)
    async with Client(stdio, mode="legacy", extensions=[TasksClient()]) as older:
        answer = await older.session.call_tool(
            "create_video_from_text", {"script": SCRIPT + " Thrice."}, allow_claimed=True
        )
        assert isinstance(answer, CallToolResult)
        view = structured(answer)
        assert view["status"] == "in-progress" and "wait_for_job" in view["next_step"]

    sandbox.control.advance_clock(90)  # Pictory finishes while no server runs
    async with Client(stdio, extensions=[TasksClient()]) as second:
        done = await get_task(second.session, kept.task_id)
        assert done.status == "completed" and done.created_at == kept.created_at
        assert done.result is not None
        assert structured(CallToolResult.model_validate(done.result))["video_url"]
        still = await get_task(second.session, dropped.task_id)
        assert still.status == "cancelled"
    assert job_gets(sandbox, dropped.task_id) == 0  # never polled for its cancelled task


async def test_with_webhooks_a_task_is_followed_from_the_store_for_one_confirming_request(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(render_seconds=600)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    settings = make_settings(sandbox.api_base_url, tmp_path, public_url=origin, log_level="WARNING")
    async with serving(settings, port):
        http = httpx2.AsyncClient(timeout=httpx2.Timeout(60, read=120))
        transport = streamable_http_client(f"{origin}/mcp", http_client=http)
        async with http, Client(transport, extensions=[TasksClient()]) as client:  # type: ignore[arg-type]
            handle = await start_task(client)
            for _ in range(3):
                state = await get_task(client.session, handle.task_id)
                assert state.status == "working"
                assert "Pictory will tell this server" in (state.status_message or "")
            assert job_gets(sandbox, handle.task_id) == 0
            sandbox.control.advance_clock(3600)
            # The webhook route records the job before it answers Pictory.
            await until_found(
                lambda: [d for d in sandbox.control.webhooks() if d["outcome"] == "delivered"]
            )
            done = await get_task(client.session, handle.task_id)
            assert done.status == "completed" and done.result is not None
            final = structured(CallToolResult.model_validate(done.result))
            assert final["status"] == "completed" and final["video_url"]
    assert job_gets(sandbox, handle.task_id) == 1  # the webhook's confirmation, nothing else
