"""Over stdio the server writes nothing but JSON-RPC to stdout, and never the key anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests._helpers import server_env

pytestmark = pytest.mark.slow

CANARY = "pictai_canary_key_never_printed_7731"


def requests() -> bytes:
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "hygiene-test", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "list_voices", "arguments": {"limit": 1}}},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {
            "name": "create_video_from_text", "arguments": {"script": "Hi.", "voice": "nobody"}}},
    ]  # fmt: skip
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def test_stdout_is_only_protocol_and_the_key_never_appears(sandbox: Any, tmp_path: Path) -> None:
    env = server_env(sandbox, tmp_path)
    env["PICTORY_API_KEY"] = CANARY  # the sandbox accepts any pictai_ key by default
    env["PICTORY_MCP_LOG_LEVEL"] = "DEBUG"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pictory_mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(requests())
    proc.stdin.flush()
    lines: list[str] = []
    ids: set[Any] = set()
    deadline = time.monotonic() + 60
    while not {1, 2, 3, 4} <= ids and time.monotonic() < deadline:
        line = proc.stdout.readline().decode()
        if not line:
            break
        lines.append(line)
        ids.add(json.loads(line).get("id"))  # every stdout line must be JSON
    rest, err = proc.communicate(timeout=30)
    lines += rest.decode().splitlines()
    answers = [json.loads(line) for line in lines if line.strip()]
    assert all(a.get("jsonrpc") == "2.0" for a in answers)
    by_id = {a.get("id"): a for a in answers}
    assert {1, 2, 3, 4} <= set(by_id)
    assert by_id[3]["result"]["structuredContent"]["voices"]
    assert by_id[4]["result"]["isError"] is True
    everything = "".join(lines) + err.decode()
    assert CANARY not in everything
    assert CANARY not in (tmp_path / "jobs.sqlite3").read_bytes().decode("latin-1")
