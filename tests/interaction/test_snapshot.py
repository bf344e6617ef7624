"""What the agent sees (tools/list, resources, prompts) is a reviewed snapshot, and within budget.

Set PICTORY_MCP_UPDATE_SNAPSHOTS=1 (or run `make snapshots`) to rewrite the files after a
deliberate change; the diff is then reviewed like code.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from pictory_mcp.server.inventory import TOOLSETS

pytestmark = pytest.mark.anyio

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
# The whole tools/list is sent on every turn. 12,000 bytes held for the 13 tools that cover the
# Pictory API; wait_for_job and download_video (long renders, delivery) add about 900 more.
TOOLS_BUDGET_BYTES = 13_000
PER_TOOL_BUDGET_BYTES = 900
# `--toolsets text,jobs`: make videos from a script and follow them, for clients that pay
# for every byte of context.
SMALLEST_BUDGET_BYTES = 5_000
# `_meta` is protocol metadata for the host, not sent to the model: the budgets above count
# what the model reads, and the links to inline views (`_meta.ui`) have a budget of their own.
META_BUDGET_BYTES = 300


def _compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def check_snapshot(name: str, value: Any) -> None:
    path = SNAPSHOTS / name
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("PICTORY_MCP_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old != text:
        diff = "".join(
            difflib.unified_diff(old.splitlines(True), text.splitlines(True), str(path), "now")
        )
        pytest.fail(f"{name} changed; review and run `make snapshots` if intended:\n{diff}")


async def listed(client: Client) -> list[dict[str, Any]]:
    return [
        t.model_dump(mode="json", by_alias=True, exclude_none=True)
        for t in (await client.list_tools()).tools
    ]


def model_bytes(tools: list[dict[str, Any]]) -> int:
    """The bytes of tools/list that reach the model: everything but `_meta`."""
    bare = [{k: v for k, v in t.items() if k != "_meta"} for t in tools]
    return len(_compact({"tools": bare}).encode())


async def test_tools_list_is_the_toolsets_in_order_and_fits_the_budget(client: Client) -> None:
    tools = await listed(client)
    whole = len(_compact({"tools": tools}).encode())
    size = model_bytes(tools)
    print(
        f"\ntools/list: {len(tools)} tools, {whole} bytes, {size} without _meta, "
        f"{size // max(1, len(tools))} bytes per tool"
    )
    assert [t["name"] for t in tools] == [n for names in TOOLSETS.values() for n in names]
    assert size < TOOLS_BUDGET_BYTES
    assert size / len(tools) < PER_TOOL_BUDGET_BYTES
    assert whole - size < META_BUDGET_BYTES


@pytest.mark.parametrize("toolset", list(TOOLSETS))
async def test_each_toolset_matches_its_snapshot(
    settings: Settings, mode: str, toolset: str
) -> None:
    chosen = settings.model_copy(update={"toolsets": (toolset,)})
    async with Client(build_server(chosen), mode=mode) as client:  # type: ignore[arg-type]
        tools = await listed(client)
    assert [t["name"] for t in tools] == list(TOOLSETS[toolset])
    check_snapshot(f"tools_{toolset}.json", tools)


async def test_the_smallest_useful_server_fits_its_budget(settings: Settings, mode: str) -> None:
    chosen = settings.model_copy(update={"toolsets": ("text", "jobs")})
    async with Client(build_server(chosen), mode=mode) as client:  # type: ignore[arg-type]
        tools = await listed(client)
    size = model_bytes(tools)
    print(f"\ntools/list with text,jobs: {len(tools)} tools, {size} bytes without _meta")
    assert size < SMALLEST_BUDGET_BYTES


async def test_resources_and_prompts_match_the_snapshot(client: Client) -> None:
    snapshot = {
        "resources": [
            r.model_dump(mode="json", by_alias=True, exclude_none=True)
            for r in (await client.list_resources()).resources
        ],
        "templates": [
            t.model_dump(mode="json", by_alias=True, exclude_none=True)
            for t in (await client.list_resource_templates()).resource_templates
        ],
        "prompts": [
            p.model_dump(mode="json", by_alias=True, exclude_none=True)
            for p in (await client.list_prompts()).prompts
        ],
    }
    check_snapshot("resources_prompts.json", snapshot)


async def test_every_tool_follows_the_conventions(client: Client) -> None:
    for tool in (await client.list_tools()).tools:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)+", tool.name), tool.name
        assert tool.title and tool.annotations
        assert tool.description and 20 <= len(tool.description) <= 300, tool.name
        assert tool.output_schema and tool.output_schema.get("type") == "object"
        schema = tool.input_schema
        assert "anyOf" not in schema and "oneOf" not in schema, tool.name
        ann = tool.annotations
        assert None not in (
            ann.read_only_hint,
            ann.destructive_hint,
            ann.idempotent_hint,
            ann.open_world_hint,
        )
        if tool.name.startswith(("create_", "render_")):
            # spends credits: never read-only, never idempotent
            assert ann.read_only_hint is False and ann.idempotent_hint is False
        for prop, spec in schema.get("properties", {}).items():
            if spec.get("type") == "string" or "string" in str(spec.get("anyOf", "")):
                assert "maxLength" in str(spec) or "enum" in str(spec) or "pattern" in str(spec), (
                    tool.name,
                    prop,
                )
