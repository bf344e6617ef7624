"""download_video when the output folder cannot take the file: a file in its place, a read-only
file system, a full disk. Each answer names the cause and the fix, and leaves nothing behind.

The read-only and full-disk cases run the server over stdio inside an unprivileged user and
mount namespace holding a small tmpfs at the output folder (skipped where that is not allowed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from pictory_mcp.config import Settings

from .conftest import text_of
from .hostile_host import (
    MP4,
    HostileHost,
    download_recorded,
    drip,
    flood,
    hostile_host,
    record_completed,
    saved_bytes,
    serve,
    until,
)

pytestmark = pytest.mark.anyio

JOB = "disk-job-1"


@pytest.fixture
async def host() -> AsyncIterator[HostileHost]:
    async with hostile_host({"/video.mp4": serve(MP4)}) as running:
        yield running


async def download(settings: Settings, video_url: str) -> Any:
    return await download_recorded(settings, JOB, video_url)


@pytest.mark.parametrize("below", [False, True])
async def test_an_output_folder_that_is_a_file_is_named_with_the_fix(
    settings: Settings, host: HostileHost, tmp_path: Path, below: bool
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    output = blocker / "videos" if below else blocker
    result = await download(
        settings.model_copy(update={"output_dir": output}), host.url("/video.mp4")
    )
    assert result.is_error
    message = text_of(result)
    assert str(blocker) in message and "is a file" in message
    assert "PICTORY_MCP_OUTPUT_DIR" in message
    assert blocker.read_text() == "a file where the output folder should be"


async def test_a_file_larger_than_the_free_space_is_refused_before_writing(
    settings: Settings, host: HostileHost
) -> None:
    free = shutil.disk_usage(settings.db_path.parent).free
    host.routes["/huge.mp4"] = drip(length=free + 1024**4)
    unbounded = settings.model_copy(update={"max_download_mb": 1024**4})
    result = await download(unbounded, host.url("/huge.mp4"))
    assert result.is_error
    message = text_of(result)
    assert "not enough free space" in message and "PICTORY_MCP_OUTPUT_DIR" in message
    assert not unbounded.output_dir.exists() or not any(unbounded.output_dir.iterdir())


# --- a real tmpfs in a user namespace ---------------------------------------------------------

# Mount a tmpfs ($1: options) at the output folder ($2), run the server ($3), then list what the
# server left in the folder into $4 (the tmpfs vanishes with the namespace).
IN_NAMESPACE = (
    'mount -t tmpfs -o "$1" tmpfs "$2" && "$3" -m pictory_mcp; status=$?; '
    'ls -A "$2" > "$4"; exit $status'
)


def namespaces_available(tmp_path: Path) -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            "mount",
            "-t",
            "tmpfs",
            "tmpfs",
            str(probe),
        ],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def namespaced(tmp_path: Path) -> None:
    if not namespaces_available(tmp_path):
        pytest.skip("unprivileged user and mount namespaces are not available here")


async def download_on_tmpfs(tmp_path: Path, options: str, video_url: str) -> tuple[str, str]:
    """The tool's answer from a server whose output folder is a tmpfs mounted with
    `options`, and what was left in that folder when the server stopped."""
    output, listing, db = tmp_path / "out", tmp_path / "left.txt", tmp_path / "jobs.sqlite3"
    output.mkdir()
    record_completed(db, JOB, video_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    env.update(
        {
            "PICTORY_API_KEY": "pictai_disk_test_key",
            "PICTORY_API_BASE_URL": "http://127.0.0.1:9/pictoryapis",  # loopback, never called
            "PICTORY_MCP_DB": str(db),
            "PICTORY_MCP_OUTPUT_DIR": str(output),
            "PICTORY_MCP_LOG_LEVEL": "WARNING",
        }
    )
    args = ["--user", "--map-root-user", "--mount", "sh", "-c", IN_NAMESPACE, "sh"]
    params = StdioServerParameters(
        command="unshare", args=[*args, options, str(output), sys.executable, str(listing)], env=env
    )
    with (tmp_path / "stderr.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            with anyio.fail_after(30):
                result = await client.call_tool("download_video", {"job_id": JOB})
    await until(listing.exists)  # written by the shell once the server has stopped
    assert result.is_error
    return text_of(result), saved_bytes(listing).decode()


@pytest.mark.slow
@pytest.mark.usefixtures("namespaced")
async def test_a_read_only_output_folder_is_named_not_hidden_by_the_clean_up(
    tmp_path: Path, host: HostileHost
) -> None:
    message, left = await download_on_tmpfs(tmp_path, "ro,size=64k", host.url("/video.mp4"))
    assert "read-only" in message and "PICTORY_MCP_OUTPUT_DIR" in message
    assert str(tmp_path / "out") in message
    assert host.hits() == 0  # nothing fetched when nothing can be written
    assert left == ""


@pytest.mark.slow
@pytest.mark.usefixtures("namespaced")
async def test_a_disk_that_fills_up_mid_download_is_named_and_the_partial_file_removed(
    tmp_path: Path, host: HostileHost
) -> None:
    host.routes["/big.mp4"] = flood(1024 * 1024)  # no length given: found out while writing
    message, left = await download_on_tmpfs(tmp_path, "size=64k", host.url("/big.mp4"))
    assert "full" in message and "PICTORY_MCP_OUTPUT_DIR" in message
    assert left == ""
