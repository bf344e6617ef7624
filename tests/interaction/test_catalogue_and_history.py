"""list_voices, the job history resources, the prompt, and the no-key experience."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.server.app import build_server
from pictory_mcp.server.state import NO_KEY_MESSAGE
from tests._helpers import make_settings, structured, text_of

pytestmark = pytest.mark.anyio


async def test_voices_are_compact_filtered_and_paged(client: Client) -> None:
    british = structured(await client.call_tool("list_voices", {"language": "en-GB", "limit": 2}))
    assert british["total"] >= 2
    assert len(british["voices"]) == 2
    assert all(v["language"].startswith("en-GB") for v in british["voices"])
    assert all(v.get("sample_url") is None for v in british["voices"])
    assert british["next_offset"] == 2 or british["total"] == 2
    rest = structured(
        await client.call_tool("list_voices", {"language": "en-GB", "limit": 100, "offset": 2})
    )
    names = {v["name"] for v in british["voices"]} | {v["name"] for v in rest["voices"]}
    assert len(names) == british["total"]


async def test_voice_filters_combine_and_samples_come_on_request(client: Client) -> None:
    found = structured(
        await client.call_tool(
            "list_voices", {"gender": "female", "service": "google", "include_samples": True}
        )
    )
    assert found["voices"]
    for voice in found["voices"]:
        assert voice["gender"].lower() == "female" and voice["service"] == "google"
        assert voice["sample_url"].startswith("http")
    brian = structured(await client.call_tool("list_voices", {"query": "brian"}))
    assert [v["name"] for v in brian["voices"]] == ["Brian"]


async def test_the_voice_catalogue_is_fetched_once_while_cached(
    client: Client, sandbox: Any
) -> None:
    for _ in range(3):
        structured(await client.call_tool("list_voices", {"limit": 1}))
    fetches = [r for r in sandbox.control.requests() if r["path"].endswith("/v1/voiceovers/tracks")]
    assert len(fetches) == 1


async def test_the_history_lists_jobs_newest_first_with_their_payloads(client: Client) -> None:
    ids = []
    for n in range(3):
        view = structured(
            await client.call_tool("create_video_from_text", {"script": f"Video number {n}."})
        )
        ids.append(view["job_id"])
    listing = json.loads((await client.read_resource("pictory://jobs")).contents[0].text)  # type: ignore[union-attr]
    assert [j["job_id"] for j in listing["jobs"]][:3] == ids[::-1]
    assert listing["total"] == 3
    assert "payload" not in listing["jobs"][0]
    one = json.loads((await client.read_resource(f"pictory://jobs/{ids[0]}")).contents[0].text)  # type: ignore[union-attr]
    assert one["payload"]["scenes"][0]["story"] == "Video number 0."
    assert one["kind"] == "render"


async def test_resources_and_template_are_listed(client: Client) -> None:
    resources = await client.list_resources()
    assert "pictory://jobs" in [str(r.uri) for r in resources.resources]
    templates = await client.list_resource_templates()
    assert "pictory://jobs/{job_id}" in [t.uri_template for t in templates.resource_templates]


async def test_reading_an_unknown_job_resource_is_an_error(client: Client) -> None:
    from mcp import MCPError

    with pytest.raises(MCPError, match="No job 'nope'"):
        await client.read_resource("pictory://jobs/nope")


async def test_history_survives_a_restart(settings: Any, mode: str) -> None:
    async with Client(build_server(settings), mode=mode) as first:  # type: ignore[arg-type]
        job_id = structured(
            await first.call_tool("create_video_from_text", {"script": "Persist me."})
        )["job_id"]
    async with Client(build_server(settings), mode=mode) as second:  # type: ignore[arg-type]
        listing = json.loads((await second.read_resource("pictory://jobs")).contents[0].text)  # type: ignore[union-attr]
    assert [j["job_id"] for j in listing["jobs"]] == [job_id]


async def test_the_prompt_walks_through_the_whole_recipe(client: Client) -> None:
    prompts = await client.list_prompts()
    assert "text_to_video" in [p.name for p in prompts.prompts]
    got = await client.get_prompt("text_to_video", {"topic": "tides", "voice_hint": "British"})
    text = " ".join(getattr(m.content, "text", "") for m in got.messages)
    for step in (
        "list_voices",
        "create_video_from_text",
        "wait_for_job",
        "render_preview",
        "video_url",
    ):
        assert step in text
    assert "query='British'" in text


async def test_without_a_key_tools_are_listed_and_calls_explain_how_to_set_one(
    tmp_path: Path, mode: str
) -> None:
    settings = make_settings("http://127.0.0.1:9/pictoryapis", tmp_path, api_key=None)
    async with Client(build_server(settings), mode=mode) as bare:  # type: ignore[arg-type]
        tools = await bare.list_tools()
        assert {"create_video_from_text", "check_job", "list_voices"} <= {
            t.name for t in tools.tools
        }
        for name, args in (
            ("list_voices", {}),
            ("check_job", {"job_id": "abc"}),
            ("create_video_from_text", {"script": "Hi."}),
        ):
            result = await bare.call_tool(name, args)
            assert result.is_error
            assert NO_KEY_MESSAGE in text_of(result)


async def test_a_wrong_key_gets_the_401_explanation_and_never_echoes_the_key(
    sandbox: Any, tmp_path: Path, mode: str
) -> None:
    sandbox.control.configure(valid_keys=[SANDBOX_API_KEY])
    wrong = "pictai_wrong_key_canary_4242"
    settings = make_settings(sandbox.api_base_url, tmp_path, api_key=wrong)
    async with Client(build_server(settings), mode=mode) as bad:  # type: ignore[arg-type]
        result = await bad.call_tool("list_voices", {})
    assert result.is_error
    assert "401" in text_of(result) and "PICTORY_API_KEY" in text_of(result)
    assert wrong not in text_of(result)
