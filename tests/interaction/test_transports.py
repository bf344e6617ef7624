"""The text → job → completed → history scenario over stdio, streamable HTTP and SSE subprocesses."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters

from tests._helpers import serve_http_on_sandbox, server_env, structured

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def scenario(client: Client, sandbox: Any) -> None:
    names = {t.name for t in (await client.list_tools()).tools}
    assert {"create_video_from_text", "check_job", "list_voices"} <= names
    created = structured(
        await client.call_tool(
            "create_video_from_text", {"script": "Rivers carry the story.", "voice": "Joanna"}
        )
    )
    sandbox.control.advance_clock(3600)
    with anyio.fail_after(20):
        done = structured(await client.call_tool("check_job", {"job_id": created["job_id"]}))
    assert done["status"] == "completed" and done["video_url"]
    listing = json.loads((await client.read_resource("pictory://jobs")).contents[0].text)  # type: ignore[union-attr]
    assert listing["jobs"][0]["job_id"] == created["job_id"]
    assert listing["jobs"][0]["status"] == "completed"


async def test_the_scenario_over_stdio(sandbox: Any, tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "pictory_mcp"], env=server_env(sandbox, tmp_path)
    )
    async with Client(params) as client:
        await scenario(client, sandbox)


@pytest.fixture
def streamable_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    yield from serve_http_on_sandbox(sandbox, tmp_path, "streamable-http")


@pytest.fixture
def sse_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    yield from serve_http_on_sandbox(sandbox, tmp_path, "sse")


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_the_scenario_over_streamable_http(
    sandbox: Any, streamable_port: int, mode: str
) -> None:
    async with Client(f"http://127.0.0.1:{streamable_port}/mcp", mode=mode) as client:  # type: ignore[arg-type]
        await scenario(client, sandbox)


async def test_the_scenario_over_sse(sandbox: Any, sse_port: int) -> None:
    async with Client(sse_client(f"http://127.0.0.1:{sse_port}/sse")) as client:
        await scenario(client, sandbox)


async def test_http_keeps_host_header_protection_on(streamable_port: int) -> None:
    import httpx

    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"http://127.0.0.1:{streamable_port}/mcp",
            headers={
                "Host": "evil.example:80",
                "Content-Type": "application/json",
                "Accept": "application/json, text/event-stream",
            },
            content=b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
        )
    assert answer.status_code == 421
