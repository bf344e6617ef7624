"""The text → job → completed → history scenario over stdio, streamable HTTP and SSE subprocesses."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters

from pictory_mcp.sandbox import SANDBOX_API_KEY

from .conftest import structured

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def server_env(sandbox: Any, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    env.update(
        {
            "PICTORY_API_KEY": SANDBOX_API_KEY,
            "PICTORY_API_BASE_URL": sandbox.api_base_url,
            "PICTORY_MCP_DB": str(tmp_path / "jobs.sqlite3"),
            "PICTORY_MCP_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _address(host: str) -> tuple[socket.AddressFamily, str]:
    bare = host.strip("[]")
    return (socket.AF_INET6 if ":" in bare else socket.AF_INET), bare


def free_port(host: str = "127.0.0.1") -> int:
    family, bare = _address(host)
    with socket.socket(family) as s:
        s.bind((bare, 0))
        return int(s.getsockname()[1])


def wait_for_port(
    port: int, proc: subprocess.Popen[bytes], timeout: float = 20.0, host: str = "127.0.0.1"
) -> None:
    family, bare = _address(host)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}")
        with socket.socket(family) as s:
            if s.connect_ex((bare, port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} never opened")


def serve_http(
    env: dict[str, str],
    transport: str = "streamable-http",
    *,
    stdout: Any = subprocess.DEVNULL,
    stderr: Any = subprocess.DEVNULL,
    host: str = "127.0.0.1",
    args: Sequence[str] = (),
) -> Iterator[int]:
    """Run `pictory-mcp` over an HTTP transport on a free port of `host`; yield the port."""
    port = free_port(host)
    command = [sys.executable, "-m", "pictory_mcp", "--transport", transport, "--port", str(port)]
    if host != "127.0.0.1":
        command += ["--host", host]
    proc = subprocess.Popen([*command, *args], env=env, stdout=stdout, stderr=stderr)
    try:
        wait_for_port(port, proc, host=host)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def http_server(sandbox: Any, tmp_path: Path, transport: str) -> Iterator[int]:
    yield from serve_http(server_env(sandbox, tmp_path), transport)


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
    yield from http_server(sandbox, tmp_path, "streamable-http")


@pytest.fixture
def sse_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    yield from http_server(sandbox, tmp_path, "sse")


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
