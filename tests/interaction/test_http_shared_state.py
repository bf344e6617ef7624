"""One server process, one state: over SSE every connection shares the job store, the caches,
the workflow engine and the sandbox, and clients that come and go leave the others working."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.sse import sse_client

from tests._helpers import serve_http, server_env, structured, text_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

CLIENTS = 24
LEAVERS = CLIENTS // 3
VOICES_PATH = "/v1/voiceovers/tracks"
SANDBOX_LINE = re.compile(r"Pictory sandbox running at (http://\S+)/pictoryapis")


@pytest.fixture
def sse_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    yield from serve_http(server_env(sandbox, tmp_path), "sse")


@pytest.fixture
def sandboxed_sse(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """`pictory-mcp --sandbox --transport sse`, logging at INFO to a file: (port, log path)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    env.update(
        {
            "PICTORY_MCP_DB": str(tmp_path / "jobs.sqlite3"),
            "PICTORY_MCP_OUTPUT_DIR": str(tmp_path / "out"),
            "PICTORY_MCP_LOG_LEVEL": "INFO",
        }
    )
    log = tmp_path / "stderr.log"
    with log.open("wb") as err:
        for port in serve_http(env, "sse", stderr=err, args=["--sandbox"]):
            yield port, log


async def test_many_sse_clients_keep_answering_while_others_disconnect(
    sse_port: int, sandbox: Any
) -> None:
    url = f"http://127.0.0.1:{sse_port}/sse"
    everyone_in = anyio.Event()
    leavers_out = anyio.Event()
    counts = {"in": 0, "out": 0}
    listings: list[dict[str, Any]] = []

    async def member(leaves_early: bool) -> None:
        async with Client(sse_client(url)) as client:
            voices = structured(await client.call_tool("list_voices", {"limit": 1}))
            assert voices["voices"]
            counts["in"] += 1
            if counts["in"] == CLIENTS:
                everyone_in.set()
            await everyone_in.wait()
            if leaves_early:
                return
            await leavers_out.wait()
            # Resources are read without a request context, from the process's state.
            listing = await client.read_resource("pictory://jobs")
            listings.append(json.loads(listing.contents[0].text))  # type: ignore[union-attr]

    async def leaver() -> None:
        await member(leaves_early=True)
        counts["out"] += 1
        if counts["out"] == LEAVERS:
            leavers_out.set()

    with anyio.fail_after(120):
        async with anyio.create_task_group() as group:
            for i in range(CLIENTS):
                if i < LEAVERS:
                    group.start_soon(leaver)
                else:
                    group.start_soon(member, False)

    assert len(listings) == CLIENTS - LEAVERS
    assert all(listing["jobs"] == [] for listing in listings)
    # One voice cache for the process, however many connections asked.
    fetches = [r for r in sandbox.control.requests() if r["path"].endswith(VOICES_PATH)]
    assert len(fetches) == 1


async def test_with_the_sandbox_a_job_made_by_one_sse_client_is_seen_by_another(
    sandboxed_sse: tuple[int, Path],
) -> None:
    port, log = sandboxed_sse
    url = f"http://127.0.0.1:{port}/sse"
    with anyio.fail_after(60):
        async with Client(sse_client(url)) as maker, Client(sse_client(url)) as watcher:
            created = structured(
                await maker.call_tool("create_video_from_text", {"script": "Rivers carry it."})
            )
            seen = await watcher.call_tool("check_job", {"job_id": created["job_id"]})
            assert not seen.is_error, text_of(seen)
            assert structured(seen)["status"] in ("in-progress", "completed")
    sandboxes = SANDBOX_LINE.findall(log.read_text(encoding="utf-8", errors="replace"))
    assert len(sandboxes) == 1, sandboxes
