"""The job history file deleted while a stdio server runs: the server's next write puts
every job back, says so on stderr, and after a restart every job is still listed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests._helpers import server_env, structured

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def listed(client: Client) -> set[str]:
    listing = json.loads((await client.read_resource("pictory://jobs")).contents[0].text)  # type: ignore[union-attr]
    return {job["job_id"] for job in listing["jobs"]}


async def create(client: Client, n: int) -> str:
    result = await client.call_tool(
        "create_video_from_text", {"script": f"Story {n} of a history that was deleted."}
    )
    return str(structured(result)["job_id"])


async def test_jobs_submitted_after_the_history_was_deleted_survive_a_restart(
    sandbox: Any, tmp_path: Path
) -> None:
    env = server_env(sandbox, tmp_path)
    db = Path(env["PICTORY_MCP_DB"])
    params = StdioServerParameters(command=sys.executable, args=["-m", "pictory_mcp"], env=env)
    errlog_path = tmp_path / "stderr.log"
    with anyio.fail_after(90), errlog_path.open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            before = [await create(client, n) for n in range(2)]
            await anyio.Path(db).unlink()
            after = [await create(client, n) for n in range(2, 4)]
            assert await anyio.Path(db).exists()
            assert await listed(client) == {*before, *after}
        async with Client(stdio_client(params, errlog=errlog)) as restarted:
            assert await listed(restarted) == {*before, *after}
    assert "was deleted while the server ran" in errlog_path.read_text()
