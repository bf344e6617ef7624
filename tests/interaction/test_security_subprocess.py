"""The canary key through real server processes (stdio and streamable HTTP) at DEBUG level:
not in any answer, resource, stderr line, stdout byte or the job database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests._helpers import (
    ADVANCE,
    CANARY,
    Scanner,
    call,
    job_ids,
    read_all_resources,
    scan_database,
    serve_http,
    server_env,
)

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def canary_env(sandbox: Any, tmp_path: Path) -> dict[str, str]:
    env = server_env(sandbox, tmp_path)
    env["PICTORY_API_KEY"] = CANARY
    env["PICTORY_MCP_LOG_LEVEL"] = "DEBUG"
    return env


async def scenario(client: Client, sandbox: Any, scan: Scanner) -> None:
    """Successes, refusals and injected faults, all through one connected client."""
    job, preview = await job_ids(client)
    sandbox.control.advance_clock(ADVANCE)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("check_job", {"job_id": job}),
        ("get_preview", {"job_id": preview}),
        ("list_voices", {"limit": 1}),
        ("list_catalog", {"kind": "quota"}),
        ("create_video_from_text", {"script": "Hi.", "voice": "nobody-at-all"}),
        ("create_video_from_article", {"url": "file:///etc/passwd"}),
        ("check_job", {"job_id": "0000-unknown-job"}),
    ]
    for tool, args in calls:
        assert await call(client, scan, tool, args) is not None
    sandbox.control.faults(error_next=1, error_status=503, drop_next=1, malformed_next=1)
    for _ in range(3):
        assert await call(client, scan, "check_job", {"job_id": job}) is not None
    sandbox.control.configure(valid_keys=["pictai_some_other_key"])
    unauthorized = await call(client, scan, "check_job", {"job_id": job})
    assert unauthorized is not None and unauthorized.is_error
    await read_all_resources(client, scan, [job, preview])


def scan_outputs(scan: Scanner, tmp_path: Path) -> None:
    err = (tmp_path / "stderr.log").read_bytes()
    assert b"DEBUG" in err, "the server did not log at DEBUG"
    scan.add("stderr", err.decode("utf-8", "replace"))
    out = tmp_path / "stdout.log"
    if out.exists():
        scan.add("stdout", out.read_bytes().decode("utf-8", "replace"))
    scan_database(scan, tmp_path / "jobs.sqlite3")
    scan.assert_clean()


async def test_the_key_never_appears_around_a_stdio_server(sandbox: Any, tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "pictory_mcp"], env=canary_env(sandbox, tmp_path)
    )
    scan = Scanner()
    with (tmp_path / "stderr.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            await scenario(client, sandbox, scan)
    scan_outputs(scan, tmp_path)


@pytest.fixture
def http_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    with (
        (tmp_path / "stdout.log").open("wb") as out,
        (tmp_path / "stderr.log").open("wb") as err,
    ):
        yield from serve_http(canary_env(sandbox, tmp_path), stdout=out, stderr=err)


async def test_the_key_never_appears_around_a_streamable_http_server(
    sandbox: Any, tmp_path: Path, http_port: int
) -> None:
    scan = Scanner()
    async with Client(f"http://127.0.0.1:{http_port}/mcp") as client:
        await scenario(client, sandbox, scan)
    scan.add("stderr so far", (tmp_path / "stderr.log").read_bytes().decode("utf-8", "replace"))
    scan_outputs(scan, tmp_path)
