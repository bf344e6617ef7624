"""search_library (music and stock media) and the account quota (list_catalog kind='quota') through mcp.Client against the sandbox,
plus the quota advice and upstream paging helpers on their own."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import pytest
from mcp import Client

from pictory_mcp.server.app import build_server
from pictory_mcp.server.state import NO_KEY_MESSAGE
from pictory_mcp.server.tools.catalog import _all_pages, quota_advice
from tests._helpers import make_settings, posts, structured, text_of

pytestmark = pytest.mark.anyio


def music_searches(sandbox: Any) -> list[dict[str, Any]]:
    return [r["body"] for r in posts(sandbox, "/v1/music/search")]


async def test_music_search_sends_exact_facets_and_answers_compact_tracks(
    client: Client, sandbox: Any
) -> None:
    page = structured(
        await client.call_tool(
            "search_library",
            {"kind": "music", "mood": "Calm / Serene", "purpose": "Technology", "query": "bio"},
        )
    )
    assert page["items"] == [
        {
            "title": "Bio Journey",
            "duration": 161,
            "moods": ["Calm / Serene", "Happy / Bright"],
            "genres": ["Downtempo"],
            "music_url": "https://tracks.sandbox.pictory.invalid/music/279/bio-journey.mp3",
        }
    ]
    assert page["total"] == 1
    assert "music_url" in page["next_step"]
    assert music_searches(sandbox) == [
        {
            "page": 1,
            "pageSize": 100,
            "sort": "featured",
            "query": "bio",
            "mood": ["Calm / Serene"],
            "purpose": ["Technology"],
        }
    ]


async def test_music_results_are_paged(client: Client) -> None:
    first = structured(await client.call_tool("search_library", {"kind": "music", "limit": 5}))
    assert len(first["items"]) == 5
    assert first["next_offset"] == 5
    assert "offset=5" in first["next_step"]
    second = structured(
        await client.call_tool("search_library", {"kind": "music", "limit": 5, "offset": 5})
    )
    titles = {t["title"] for t in first["items"]} | {t["title"] for t in second["items"]}
    assert len(titles) == 10
    assert second["total"] == first["total"]


@pytest.mark.parametrize(
    ("arg", "wrong", "meant", "kind"),
    [
        ("mood", "calm / serene", "Calm / Serene", "music_moods"),
        ("mood", "Calm", "Calm / Serene", "music_moods"),
        ("genre", "ambiant", "Ambient", "music_genres"),
        ("purpose", "technology", "Technology", "music_purposes"),
    ],
)
async def test_a_facet_value_that_is_not_exact_is_refused_with_the_close_ones(
    client: Client, sandbox: Any, arg: str, wrong: str, meant: str, kind: str
) -> None:
    result = await client.call_tool("search_library", {"kind": "music", arg: wrong})
    assert result.is_error
    message = text_of(result)
    assert f"Unknown {arg} '{wrong}'" in message
    assert f"'{meant}'" in message
    assert f"list_catalog(kind='{kind}')" in message
    assert music_searches(sandbox) == []


async def test_facet_lists_are_fetched_once_for_many_searches(client: Client, sandbox: Any) -> None:
    for _ in range(3):
        structured(
            await client.call_tool("search_library", {"kind": "music", "mood": "Happy / Bright"})
        )
    moods = [r for r in sandbox.control.requests() if r["path"].endswith("/v1/music/moods")]
    assert len(moods) == 1
    assert len(music_searches(sandbox)) == 3


async def test_no_matching_track_says_how_to_widen_the_search(client: Client) -> None:
    page = structured(
        await client.call_tool("search_library", {"kind": "music", "query": "zzz no such tune"})
    )
    assert page["items"] == [] and page["total"] == 0
    assert "Drop a filter" in page["next_step"]


async def test_stock_search_is_compact_and_points_to_the_visual_search(
    client: Client, sandbox: Any
) -> None:
    page = structured(
        await client.call_tool(
            "search_library",
            {"kind": "media", "query": "mountain lake", "category": "Nature", "limit": 3},
        )
    )
    assert 0 < len(page["items"]) <= 3
    for item in page["items"]:
        assert item["type"] in ("video", "image")
        assert item["library"] in ("story_blocks", "getty")
        assert item["description"]
        assert item["preview"].startswith("https://")
    assert "'mountain lake'" in page["next_step"]
    assert "searchFilter.query" in page["next_step"]
    [request] = [r for r in sandbox.control.requests() if r["path"].endswith("/v1/media/search")]
    assert parse_qs(request["query"]) == {
        "keyword": ["mountain lake"],
        "category": ["Nature"],
        "language": ["en"],
    }


async def test_stock_search_without_results_suggests_alternatives(client: Client) -> None:
    page = structured(
        await client.call_tool("search_library", {"kind": "media", "query": "zzznothing"})
    )
    assert page["items"] == []
    assert "broader query" in page["next_step"]


async def test_stock_results_are_paged(client: Client) -> None:
    args = {"kind": "media", "query": "ocean waves", "limit": 1}
    first = structured(await client.call_tool("search_library", args))
    assert first["total"] > 1 and first["next_offset"] == 1
    assert "offset=1" in first["next_step"]
    second = structured(await client.call_tool("search_library", {**args, "offset": 1}))
    assert second["items"] != first["items"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ({"kind": "media"}, "needs query"),
        ({"kind": "media", "query": "   "}, "needs query"),
        (
            {"kind": "media", "query": "city", "mood": "Calm / Serene"},
            "mood only filter kind='music'",
        ),
        (
            {"kind": "media", "query": "city", "genre": "Ambient", "purpose": "Technology"},
            "genre/purpose only filter kind='music'",
        ),
        ({"kind": "music", "category": "Nature"}, "category only filters kind='media'"),
    ],
)
async def test_arguments_of_the_other_kind_are_refused_before_any_request(
    client: Client, sandbox: Any, args: dict[str, Any], says: str
) -> None:
    result = await client.call_tool("search_library", args)
    assert result.is_error
    assert says in text_of(result)
    assert sandbox.control.requests() == []


async def test_the_quota_answers_used_limit_and_left_per_meter(
    client: Client, sandbox: Any
) -> None:
    page = structured(await client.call_tool("list_catalog", {"kind": "quota"}))
    assert page["items"] == [
        {"name": "video_minutes", "used": 98, "limit": 14400, "left": 14302},
        {"name": "transcription_minutes", "used": 12, "limit": 600, "left": 588},
        {"name": "elevenlabs_minutes", "used": 3, "limit": 120, "left": 117},
        {"name": "ai_credits", "used": 48, "limit": 2000, "left": 1952},
    ]
    assert page["total"] == 4
    assert page["next_step"].startswith("Enough quota")
    assert len([r for r in sandbox.control.requests() if r["path"].endswith("/v1/quota")]) == 1


def test_quota_advice_warns_when_less_than_a_tenth_is_left() -> None:
    meters = [
        {"name": "video_minutes", "used": 95, "limit": 100, "left": 5},
        {"name": "ai_credits", "used": 10, "limit": 100, "left": 90},
    ]
    advice = quota_advice(meters)
    assert advice.startswith("Low: video_minutes 5 of 100 left")
    assert "ai_credits" not in advice


def test_quota_advice_names_what_is_used_up_first() -> None:
    meters = [
        {"name": "video_minutes", "used": 95, "limit": 100, "left": 5},
        {"name": "ai_credits", "used": 100, "limit": 100, "left": 0},
        {"name": "transcription_minutes", "used": 3},
    ]
    assert quota_advice(meters).startswith("None left of: ai_credits.")


async def test_paged_upstream_lists_are_read_to_the_end() -> None:
    pages = {
        None: SimpleNamespace(items=["a", "b"], next_page_key="k2"),
        "k2": SimpleNamespace(items=["c"], next_page_key="k3"),
        "k3": SimpleNamespace(items=["d"], next_page_key=None),
    }
    asked: list[str | None] = []

    async def fetch(key: str | None) -> Any:
        asked.append(key)
        return pages[key]

    assert await _all_pages(fetch) == ["a", "b", "c", "d"]
    assert asked == [None, "k2", "k3"]


async def test_without_a_key_every_catalogue_tool_says_how_to_set_one(
    tmp_path: Path, mode: str
) -> None:
    settings = make_settings("http://127.0.0.1:9/pictoryapis", tmp_path, api_key=None)
    async with Client(build_server(settings), mode=mode) as bare:
        for name, args in (
            ("list_catalog", {"kind": "brands"}),
            ("list_catalog", {"kind": "templates", "query": "x"}),
            ("search_library", {"kind": "music", "mood": "Calm / Serene"}),
            ("search_library", {"kind": "media", "query": "city"}),
            ("list_catalog", {"kind": "quota"}),
        ):
            result = await bare.call_tool(name, args)
            assert result.is_error, name
            assert NO_KEY_MESSAGE in text_of(result), name
