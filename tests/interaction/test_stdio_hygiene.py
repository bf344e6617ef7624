"""Over stdio the server writes nothing but JSON-RPC to stdout, and never the key anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .test_transports import server_env

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
    done = subprocess.run(
        [sys.executable, "-m", "pictory_mcp"],
        input=requests(),
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    out_lines = [line for line in done.stdout.decode().splitlines() if line.strip()]
    answers = [json.loads(line) for line in out_lines]  # every stdout line is JSON
    assert all(a.get("jsonrpc") == "2.0" for a in answers)
    by_id = {a.get("id"): a for a in answers}
    assert {1, 2, 3, 4} <= set(by_id)
    assert by_id[3]["result"]["structuredContent"]["voices"]
    assert by_id[4]["result"]["isError"] is True
    everything = done.stdout.decode() + done.stderr.decode()
    assert CANARY not in everything
    assert CANARY not in (tmp_path / "jobs.sqlite3").read_bytes().decode("latin-1")
