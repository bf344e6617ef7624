"""The generated tool-schema cache: current with the code, identical on the wire to tools built
the SDK's way, and ignored for any tool whose signature no longer matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.server import toolcache
from pictory_mcp.server.app import build_server
from pictory_mcp.server.inventory import all_tools

pytestmark = pytest.mark.anyio


def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, db_path=tmp_path / "jobs.sqlite3")


def test_the_cache_file_matches_the_code() -> None:
    cache = toolcache.load_cache()
    if cache.get("generator") != toolcache.generator():
        # Written by other mcp/pydantic versions than these: it must then go unused.
        tools = toolcache.build_tools(all_tools(), cache)
        assert not any(isinstance(t, toolcache.CachedTool) for t in tools)
        return
    assert cache == toolcache.generate(all_tools()), (
        "pictory_mcp/server/tool_schemas.json is stale: run `make snapshots`"
    )


def test_a_cache_from_other_library_versions_is_not_used() -> None:
    cache = toolcache.load_cache()
    other = {**cache, "generator": {**toolcache.generator(), "pydantic": "0.0.1"}}
    tools = toolcache.build_tools(all_tools(), other)
    assert not any(isinstance(t, toolcache.CachedTool) for t in tools)


def test_every_tool_is_registered_from_the_cache() -> None:
    tools = toolcache.build_tools(all_tools())
    assert tools and all(isinstance(t, toolcache.CachedTool) for t in tools)
    # Nothing is built until a tool is first called.
    assert all("fn_metadata" not in t.__dict__ for t in tools)


async def test_cached_and_live_servers_list_the_same_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Client(build_server(settings(tmp_path))) as cached:
        from_cache = [t.model_dump() for t in (await cached.list_tools()).tools]
    monkeypatch.setattr(toolcache, "load_cache", lambda path=None: {})
    async with Client(build_server(settings(tmp_path))) as live:
        built = [t.model_dump() for t in (await live.list_tools()).tools]
    assert from_cache == built


def test_a_tool_whose_signature_changed_is_built_live() -> None:
    specs = all_tools()
    cache: dict[str, Any] = toolcache.load_cache()
    entries = cache["tools"]
    stale = dict(entries["check_job"], key="0" * 16, input={"type": "object", "properties": {}})
    tools = toolcache.build_tools(specs, {**cache, "tools": {**entries, "check_job": stale}})
    by_name = {t.name: t for t in tools}
    assert not isinstance(by_name["check_job"], toolcache.CachedTool)
    assert "job_id" in by_name["check_job"].parameters["properties"]  # not the stale schema
    assert isinstance(by_name["list_voices"], toolcache.CachedTool)


def test_a_missing_or_unreadable_cache_means_every_tool_is_built_live(tmp_path: Path) -> None:
    broken = tmp_path / "tool_schemas.json"
    broken.write_text("{not json", encoding="utf-8")
    assert toolcache.load_cache(broken) == {}
    tools = toolcache.build_tools(all_tools(), toolcache.load_cache(tmp_path / "absent.json"))
    assert not any(isinstance(t, toolcache.CachedTool) for t in tools)


async def test_a_cached_tool_validates_arguments_like_a_live_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = {"job_id": "not a job id!"}
    async with Client(build_server(settings(tmp_path))) as cached:
        first = await cached.call_tool("check_job", bad)
    monkeypatch.setattr(toolcache, "load_cache", lambda path=None: {})
    async with Client(build_server(settings(tmp_path))) as live:
        second = await live.call_tool("check_job", bad)
    assert first.is_error and second.is_error
    assert first.content == second.content
    assert "job_id" in first.content[0].text  # type: ignore[union-attr]
