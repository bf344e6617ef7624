"""A job history that cannot be used (damaged, a folder, another program's database, an
unwritable place) does not stop the server: over stdio it starts and lists its tools, every
call that needs the history says why and what to do, nothing is submitted to Pictory, and a
file that is not ours is never modified."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError
from mcp.client.stdio import StdioServerParameters, stdio_client

from pictory_mcp.jobs import JobStore
from tests._helpers import posts, server_env, structured, text_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def damaged(place: Path) -> tuple[Path, str]:
    path = place / "jobs.sqlite3"
    with JobStore(path) as store:
        store.record_submission("job-1", "render", {}, {})
    size = path.stat().st_size
    with path.open("r+b") as file:  # our header kept, everything after it overwritten
        file.seek(100)
        file.write(bytes(range(256)) * ((size - 100) // 256 + 1))
    return path, "damaged"


def folder(place: Path) -> tuple[Path, str]:
    path = place / "jobs.sqlite3"
    path.mkdir()
    return path, "is a folder"


def foreign(place: Path) -> tuple[Path, str]:
    path = place / "jobs.sqlite3"
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Ada', '555-0100')")
    conn.close()
    return path, "another program"


def unwritable(place: Path) -> tuple[Path, str]:
    # Permission bits do not stop root; a regular file where the folder should be does.
    blocker = place / "data"
    blocker.write_text("a file, not a folder")
    return blocker / "jobs.sqlite3", "cannot be created"


CASES: dict[str, Callable[[Path], tuple[Path, str]]] = {
    "damaged": damaged,
    "folder": folder,
    "foreign": foreign,
    "unwritable": unwritable,
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file around the history, with its bytes, to show nothing was written."""
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_the_server_starts_and_every_history_call_says_why_and_what_to_do(
    sandbox: Any, tmp_path: Path, case: str
) -> None:
    place = tmp_path / "history"
    place.mkdir()
    db, cause = CASES[case](place)
    before = snapshot(place)
    env = server_env(sandbox, tmp_path)
    env["PICTORY_MCP_DB"] = str(db)
    params = StdioServerParameters(command=sys.executable, args=["-m", "pictory_mcp"], env=env)
    errlog_path = tmp_path / "stderr.log"
    with anyio.fail_after(60), errlog_path.open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            assert {"create_video_from_text", "check_job", "list_voices"} <= tools

            voices = structured(await client.call_tool("list_voices", {"limit": 1}))
            assert voices["voices"]

            created = await client.call_tool(
                "create_video_from_text", {"script": "A history that cannot be written."}
            )
            checked = await client.call_tool("check_job", {"job_id": "job-1"})
            for result in (created, checked):
                assert result.is_error
                message = text_of(result)
                assert str(db) in message and cause in message, message
                assert "PICTORY_MCP_DB" in message and "Traceback" not in message

            with pytest.raises(MCPError) as failure:
                await client.read_resource("pictory://jobs")
            assert str(db) in str(failure.value) and cause in str(failure.value)

    assert posts(sandbox, "/v2/video/storyboard") == []  # nothing was paid for
    assert posts(sandbox, "/v2/video/storyboard/render") == []
    assert snapshot(place) == before  # not a byte changed, no -wal or -shm beside it
    errors = errlog_path.read_text()
    assert "Traceback" not in errors
    assert cause in errors  # the reason is logged once, for whoever reads the logs
