"""The stdio transport: served on the event loop's pipes when stdin/stdout are pipes, on the
SDK's threaded transport otherwise; either way stdout carries nothing but protocol."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from tests._helpers import server_env

pytestmark = pytest.mark.slow

HANDSHAKE = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "transport-test", "version": "1"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
]  # fmt: skip


def encode(messages: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(m).encode() + b"\n" for m in messages)


def answers(stdout: bytes) -> dict[Any, dict[str, Any]]:
    lines = [line for line in stdout.decode().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # every stdout line must be JSON-RPC
    assert all(p.get("jsonrpc") == "2.0" for p in parsed)
    return {p.get("id"): p for p in parsed}


def exchange(
    args: list[str],
    env: dict[str, str],
    messages: list[dict[str, Any]],
    ids: set[int],
    stdout: Path | None = None,
) -> tuple[dict[Any, dict[str, Any]], str]:
    """Send `messages` over a stdin pipe, keep it open until every id in `ids` is answered
    (or a minute passes), then close it. Stdout is a pipe, or the file `stdout` if given.
    Returns the answers by id and stderr."""
    out = stdout.open("wb") if stdout else subprocess.PIPE
    proc = subprocess.Popen(
        [sys.executable, *args], stdin=subprocess.PIPE, stdout=out, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None
    proc.stdin.write(encode(messages))
    proc.stdin.flush()
    received = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if stdout is None:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                break
            received += line
        else:
            time.sleep(0.1)
            received = stdout.read_bytes()
        if ids <= set(answers(received.rsplit(b"\n", 1)[0] if stdout else received)):
            break
    rest, err = proc.communicate(timeout=60)
    if not isinstance(out, int):
        out.close()
    if stdout is None:
        received += rest
    else:
        received = stdout.read_bytes()
    assert proc.returncode == 0, err.decode()[-2000:]
    return answers(received), err.decode()


# The real server plus two tools only these tests need.
TEST_SERVER = textwrap.dedent(
    """
    import os
    from pictory_mcp.config import Settings
    from pictory_mcp.server.app import build_server

    server = build_server(Settings.from_env())

    @server.tool()
    async def noisy() -> str:
        print("stray print from a library")
        os.write(1, b"stray write to fd 1\\n")
        return "done"

    @server.tool()
    async def echo(text: str) -> str:
        return text + text

    server.run("stdio")
    """
)


def test_large_messages_both_ways_over_pipes(sandbox: Any, tmp_path: Path) -> None:
    huge = "x" * 300_000  # several times any pipe buffer and asyncio's default line limit
    messages = [
        *HANDSHAKE,
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "check_job", "arguments": {"job_id": "abc", "padding": huge}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
         "params": {"name": "echo", "arguments": {"text": huge}}},
    ]  # fmt: skip
    by_id, _ = exchange(["-c", TEST_SERVER], server_env(sandbox, tmp_path), messages, {2, 3})
    refused = by_id[2]["result"]
    assert refused["isError"] is True
    assert "Unknown argument 'padding' for check_job" in refused["content"][0]["text"]
    echoed = by_id[3]["result"]
    assert echoed["isError"] is False
    # 600,000 characters back: one line far larger than a pipe buffer, written whole.
    assert echoed["structuredContent"] == {"result": huge + huge}


def test_stdout_to_a_file_uses_the_threaded_transport(sandbox: Any, tmp_path: Path) -> None:
    messages = [*HANDSHAKE, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}]
    env = server_env(sandbox, tmp_path)
    out = tmp_path / "stdout.jsonl"
    by_id, _ = exchange(["-m", "pictory_mcp"], env, messages, {1, 2}, stdout=out)
    assert by_id[1]["result"]["serverInfo"]["name"] == "pictory-mcp"
    assert any(t["name"] == "check_job" for t in by_id[2]["result"]["tools"])


def test_stray_output_goes_to_stderr_not_the_protocol(sandbox: Any, tmp_path: Path) -> None:
    messages = [
        *HANDSHAKE,
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"name": "noisy", "arguments": {}}},
    ]  # fmt: skip
    by_id, err = exchange(["-c", TEST_SERVER], server_env(sandbox, tmp_path), messages, {2})
    assert by_id[2]["result"]["isError"] is False  # and answers() found no stray line
    assert "stray print from a library" in err
    assert "stray write to fd 1" in err


LIMITED_SERVER = textwrap.dedent(
    """
    import anyio
    from pictory_mcp.config import Settings
    from pictory_mcp.server.app import build_server
    from pictory_mcp.server.stdio import serve_stdio

    server = build_server(Settings.from_env())
    anyio.run(lambda: serve_stdio(server._lowlevel_server, max_line=2000))
    """
)


def test_a_line_over_the_limit_is_refused_and_reading_goes_on(sandbox: Any, tmp_path: Path) -> None:
    messages = [
        *HANDSHAKE,
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "check_job", "arguments": {"job_id": "x" * 10_000}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "check_job", "arguments": {"job_id": "not a job id!"}}},
    ]  # fmt: skip
    by_id, _ = exchange(["-c", LIMITED_SERVER], server_env(sandbox, tmp_path), messages, {3})
    assert 2 not in by_id  # the over-long request was never read as a request
    assert by_id[3]["result"]["isError"] is True
    assert "job_id" in by_id[3]["result"]["content"][0]["text"]
