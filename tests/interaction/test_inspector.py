"""Interoperability with the official MCP Inspector CLI (pinned, installed by `make test`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._helpers import serve_http, serve_http_on_sandbox, server_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / ".tools" / "inspector" / "node_modules" / ".bin" / "mcp-inspector"
TOOL_ERROR_EXIT = 5
TOKEN = "inspector-test-token-0123456789abcdef"


@pytest.fixture(scope="module")
def inspector() -> Path:
    path = Path(os.environ.get("PICTORY_MCP_INSPECTOR", DEFAULT))
    if not path.exists():
        pytest.fail(
            f"MCP Inspector CLI not found at {path}; run `make inspector` (part of `make test`)."
        )
    return path


def run(
    inspector: Path, target: list[str], *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(inspector), "--cli", *target, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def stdio_target(sandbox: Any, tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    env = server_env(sandbox, tmp_path)
    flags: list[str] = []
    for key, value in env.items():
        if key.startswith("PICTORY_"):
            flags += ["-e", f"{key}={value}"]
    return [*flags, sys.executable, "-m", "pictory_mcp"], env


@pytest.fixture
def http_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    yield from serve_http_on_sandbox(sandbox, tmp_path, "streamable-http")


def check_all(inspector: Path, target: list[str], env: dict[str, str] | None) -> None:
    listed = run(inspector, target, "--method", "tools/list", "--strict", env=env)
    assert listed.returncode == 0, listed.stderr[-2000:]
    names = {t["name"] for t in json.loads(listed.stdout)["tools"]}
    assert {"create_video_from_text", "check_job", "list_voices"} <= names

    called = run(
        inspector, target, "--method", "tools/call", "--tool-name", "list_voices",
        "--tool-args-json", '{"query": "British", "limit": 3}', env=env,
    )  # fmt: skip
    assert called.returncode == 0, called.stderr[-2000:]
    result = json.loads(called.stdout)
    assert not result.get("isError")
    assert result["structuredContent"]["voices"]

    refused = run(
        inspector, target, "--method", "tools/call", "--tool-name", "create_video_from_text",
        "--tool-args-json", '{"script": "Hello there.", "voice": "brain"}', env=env,
    )  # fmt: skip
    assert refused.returncode == TOOL_ERROR_EXIT, refused.stdout[-2000:]
    assert "Did you mean 'Brian'?" in refused.stdout


def test_the_inspector_lists_calls_and_sees_refusals_over_stdio(
    inspector: Path, sandbox: Any, tmp_path: Path
) -> None:
    target, env = stdio_target(sandbox, tmp_path)
    check_all(inspector, target, env)


def test_the_inspector_lists_calls_and_sees_refusals_over_streamable_http(
    inspector: Path, http_port: int
) -> None:
    check_all(inspector, [f"http://127.0.0.1:{http_port}/mcp"], None)


def test_the_inspector_reaches_a_token_protected_server_with_its_bearer_header(
    inspector: Path, sandbox: Any, tmp_path: Path
) -> None:
    env = server_env(sandbox, tmp_path)
    env["PICTORY_MCP_AUTH_TOKEN"] = TOKEN
    for port in serve_http(env):
        url = f"http://127.0.0.1:{port}/mcp"
        listed = run(
            inspector, [url], "--method", "tools/list", "--header", f"Authorization: Bearer {TOKEN}"
        )
        assert listed.returncode == 0, listed.stderr[-2000:]
        assert "create_video_from_text" in {t["name"] for t in json.loads(listed.stdout)["tools"]}
