"""--toolsets / PICTORY_MCP_TOOLSETS and --read-only / PICTORY_MCP_READ_ONLY: which tools a
client is offered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp import cli
from pictory_mcp.config import Settings
from pictory_mcp.errors import ConfigurationError
from pictory_mcp.server.app import build_server
from tests._helpers import make_settings, structured

pytestmark = pytest.mark.anyio

VALID = "text, sources, previews, highlights, jobs, catalog"


async def names(settings: Settings) -> list[str]:
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        return [tool.name for tool in (await client.list_tools()).tools]


async def test_the_toolsets_named_in_the_environment_are_the_tools_offered(
    tmp_path: Path,
) -> None:
    env = {"PICTORY_MCP_TOOLSETS": "Text, jobs", "PICTORY_MCP_DB": str(tmp_path / "j.db")}
    assert await names(Settings.from_env(env)) == [
        "create_video_from_text",
        "list_voices",
        "check_job",
        "wait_for_job",
        "download_video",
        "list_jobs",
    ]


async def test_read_only_offers_no_tool_that_spends_credits_or_writes_files(
    tmp_path: Path,
) -> None:
    env = {"PICTORY_MCP_READ_ONLY": "1", "PICTORY_MCP_DB": str(tmp_path / "j.db")}
    async with Client(build_server(Settings.from_env(env))) as client:  # type: ignore[arg-type]
        tools = (await client.list_tools()).tools
        assert {t.name for t in tools} == {
            "list_voices",
            "get_preview",
            "check_job",
            "wait_for_job",
            "list_jobs",
            "list_catalog",
            "search_library",
        }
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)
        refused = await client.call_tool("create_video_from_text", {"script": "Hello."})
        assert refused.is_error


def test_an_unknown_toolset_in_the_environment_is_refused_with_the_valid_ones(
    tmp_path: Path,
) -> None:
    env = {"PICTORY_MCP_TOOLSETS": "text,videos", "PICTORY_MCP_DB": str(tmp_path / "j.db")}
    with pytest.raises(ConfigurationError) as info:
        build_server(Settings.from_env(env))
    assert "'videos'" in str(info.value) and f"valid toolsets: {VALID}." in str(info.value)


def test_an_unknown_toolset_flag_stops_start_up_with_the_valid_ones(
    capsys: pytest.CaptureFixture[str], monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setenv("PICTORY_MCP_DB", str(tmp_path / "j.db"))
    assert cli.main(["--toolsets", "text,waiting"]) == 2
    err = capsys.readouterr().err
    assert "Unknown toolset 'waiting'" in err and VALID in err


async def test_a_read_only_server_never_points_to_the_download_tool_it_does_not_offer(
    tmp_path: Path, sandbox: Any
) -> None:
    writer = make_settings(sandbox.api_base_url, tmp_path, poll_interval=1.0)
    async with Client(build_server(writer)) as client:
        job = structured(await client.call_tool("create_video_from_text", {"script": "Hello."}))
    sandbox.control.advance_clock(3600)
    reader = writer.model_copy(update={"read_only": True})
    async with Client(build_server(reader)) as client:
        done = structured(await client.call_tool("wait_for_job", {"job_id": job["job_id"]}))
    assert done["status"] == "completed" and done["video_url"]
    assert "download_video" not in done["next_step"]
