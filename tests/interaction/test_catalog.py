"""list_catalog through mcp.Client against the sandbox: every kind, filters, paging, caching,
template details by exact id or name, and the refusals an agent can act on."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from pictory_mcp.api._retry import RetryPolicy
from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import structured, text_of

pytestmark = pytest.mark.anyio

ANNOUNCE = "20250901101500123a1b2c3d4e5f60718293a4b5c6d7e8f9tpl1"
LEGACY = "20240105090000012d4e5f60718293a4b5c6d7e8f90a1b2ctpl4"

# kind -> (upstream path, one item the sandbox catalogue holds, how many it holds)
KINDS: dict[str, tuple[str, dict[str, Any], int]] = {
    "brands": (
        "/v1/brands/video",
        {"id": "b9d7e6a4-1f2c-4d3e-8a9b-7c6d5e4f3a21", "name": "Corporate Blue"},
        4,
    ),
    "text_styles": (
        "/v1/styles",
        {"id": "bcbcef60-9f8f-4357-ac32-ecf5144f2f12", "name": "Headliner"},
        8,
    ),
    "smart_layouts": (
        "/v1/smartlayouts",
        {"id": "20250813042630669e658e159aa60455692c1dad5473adtd3", "name": "Wanderlust"},
        5,
    ),
    "templates": (
        "/v1/templates",
        {
            "id": ANNOUNCE,
            "name": "Product Announcement",
            "language": "en",
            "variables": {"Product": "PRODUCT", "Company": "COMPANY"},
        },
        4,
    ),
    "avatars": (
        "/v1/avatars",
        {
            "name": "Annie",
            "gender": "Female",
            "looks": ["Annie_expressive12_public", "Annie_casual3_public"],
        },
        4,
    ),
    "music_moods": ("/v1/music/moods", {"name": "Calm / Serene"}, -1),
    "music_genres": ("/v1/music/genres", {"name": "Ambient"}, -1),
    "music_purposes": ("/v1/music/purposes", {"name": "Technology"}, -1),
    "aws_connections": (
        "/v1/awsconnections",
        {
            "id": "20250211101010101kq7w3n5b8c2d4f6",
            "name": "archive-eu",
            "region": "eu-west-1",
            "enabled": False,
        },
        2,
    ),
    "vimeo_connections": (
        "/v1/vimeo-connections",
        {"id": "20250301120000000vm1a2b3c4d5e6f7", "name": "Company Vimeo", "enabled": True},
        1,
    ),
}


def gets(sandbox: Any, path: str) -> list[dict[str, Any]]:
    return [
        r for r in sandbox.control.requests() if r["method"] == "GET" and r["path"].endswith(path)
    ]


@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_every_kind_answers_compact_items_from_its_endpoint(
    client: Client, sandbox: Any, kind: str
) -> None:
    path, expected, count = KINDS[kind]
    page = structured(await client.call_tool("list_catalog", {"kind": kind, "limit": 100}))
    assert expected in page["items"]
    if count >= 0:
        assert page["total"] == count == len(page["items"])
    else:
        assert page["total"] > 10
        assert len(page["items"]) == min(page["total"], 100)
    assert page.get("next_offset") == (100 if page["total"] > 100 else None)
    assert page["next_step"]
    assert len(gets(sandbox, path)) == 1


async def test_the_query_filters_by_name_in_any_case(client: Client) -> None:
    page = structured(await client.call_tool("list_catalog", {"kind": "brands", "query": "BLUE"}))
    assert [b["name"] for b in page["items"]] == ["Corporate Blue"]
    assert page["total"] == 1
    looks = structured(
        await client.call_tool("list_catalog", {"kind": "avatars", "query": "office2"})
    )
    assert [a["name"] for a in looks["items"]] == ["Marcus"]


async def test_templates_mark_the_deprecated_ones(client: Client) -> None:
    page = structured(await client.call_tool("list_catalog", {"kind": "templates"}))
    flagged = {t["id"]: t.get("deprecated") for t in page["items"]}
    assert flagged[LEGACY] is True
    assert flagged[ANNOUNCE] is None


async def test_a_long_list_is_paged_with_the_way_to_the_next_page(client: Client) -> None:
    first = structured(await client.call_tool("list_catalog", {"kind": "text_styles", "limit": 3}))
    assert len(first["items"]) == 3
    assert first["total"] == 8
    assert first["next_offset"] == 3
    assert "offset=3" in first["next_step"]
    last = structured(
        await client.call_tool("list_catalog", {"kind": "text_styles", "limit": 3, "offset": 6})
    )
    assert [s["name"] for s in last["items"]] == ["Headliner", "Flash"]
    assert "next_offset" not in last
    seen = {s["name"] for s in first["items"]} | {s["name"] for s in last["items"]}
    assert len(seen) == 5


async def test_an_offset_past_the_end_says_where_to_start(client: Client) -> None:
    page = structured(await client.call_tool("list_catalog", {"kind": "brands", "offset": 40}))
    assert page["items"] == []
    assert page["total"] == 4
    assert "offset=0" in page["next_step"]


async def test_nothing_matching_says_how_to_widen_the_search(client: Client) -> None:
    page = structured(
        await client.call_tool("list_catalog", {"kind": "brands", "query": "no such brand"})
    )
    assert page["items"] == [] and page["total"] == 0
    assert "query" in page["next_step"]


async def test_repeated_listings_fetch_once_while_cached(client: Client, sandbox: Any) -> None:
    for query in (None, "blue", "green"):
        args: dict[str, Any] = {"kind": "brands"}
        if query:
            args["query"] = query
        structured(await client.call_tool("list_catalog", args))
    assert len(gets(sandbox, "/v1/brands/video")) == 1


async def test_an_unknown_kind_is_refused_before_any_request(client: Client, sandbox: Any) -> None:
    result = await client.call_tool("list_catalog", {"kind": "fonts"})
    assert result.is_error
    assert "kind" in text_of(result)
    assert sandbox.control.requests() == []


def templates(query: str) -> dict[str, Any]:
    return {"kind": "templates", "query": query}


async def test_listed_templates_carry_their_variables_without_scenes(
    client: Client, sandbox: Any
) -> None:
    page = structured(await client.call_tool("list_catalog", {"kind": "templates", "limit": 2}))
    assert [t["variables"] for t in page["items"]] == [
        {"Product": "PRODUCT", "Company": "COMPANY"},
        {"Name": "NAME", "Week": "WEEK"},
    ]
    assert all("scenes" not in t for t in page["items"])
    details = [r for r in sandbox.control.requests() if "/v1/templates/" in r["path"]]
    assert sorted(r["path"][-4:] for r in details) == ["tpl1", "tpl2"]
    structured(await client.call_tool("list_catalog", {"kind": "templates", "limit": 2}))
    assert len(gets(sandbox, "tpl1")) == 1


async def test_an_exact_template_id_shows_its_variables_scenes_and_how_to_render_it(
    client: Client, sandbox: Any
) -> None:
    page = structured(await client.call_tool("list_catalog", templates(ANNOUNCE)))
    assert page["total"] == 1
    template = page["items"][0]
    assert template["id"] == ANNOUNCE
    assert template["name"] == "Product Announcement"
    assert template["language"] == "en"
    assert template["variables"] == {"Product": "PRODUCT", "Company": "COMPANY"}
    assert template["scene_count"] == 3
    assert template["scenes"][0] == "{{Company}} is proud to introduce {{Product}}."
    assert f"create_video_from_template(template_id='{ANNOUNCE}'" in page["next_step"]
    assert "'Product'" in page["next_step"] and "'Company'" in page["next_step"]
    assert len(gets(sandbox, f"/v1/templates/{ANNOUNCE}")) == 1


async def test_a_template_can_be_named_instead_of_its_id(client: Client, sandbox: Any) -> None:
    page = structured(await client.call_tool("list_catalog", templates("weekly team update")))
    assert page["items"][0]["variables"] == {"Name": "NAME", "Week": "WEEK"}
    assert page["items"][0]["scene_count"] == 2
    assert (
        len(gets(sandbox, "/v1/templates/20250915083000456b2c3d4e5f60718293a4b5c6d7e8f90atpl2"))
        == 1
    )


async def test_a_partial_template_name_lists_matches_without_scenes(client: Client) -> None:
    page = structured(await client.call_tool("list_catalog", templates("team")))
    assert [t["name"] for t in page["items"]] == ["Weekly Team Update"]
    assert "scenes" not in page["items"][0]
    assert "exact id or name" in page["next_step"]


async def test_a_deprecated_template_says_so(client: Client) -> None:
    page = structured(await client.call_tool("list_catalog", templates(LEGACY)))
    assert page["items"][0]["deprecated"] is True
    assert page["next_step"].startswith("This template is deprecated")


async def test_an_unknown_template_suggests_close_names_and_the_listing(
    client: Client, sandbox: Any
) -> None:
    page = structured(await client.call_tool("list_catalog", templates("Product Anouncement")))
    assert page["items"] == [] and page["total"] == 0
    message = page["next_step"]
    assert "No template 'Product Anouncement'" in message
    assert "'Product Announcement'" in message
    assert "list_catalog(kind='templates')" in message
    missing = structured(await client.call_tool("list_catalog", templates("tpl-no-such-id")))
    assert missing["items"] == []
    assert "No template 'tpl-no-such-id'" in missing["next_step"]
    assert len(gets(sandbox, "/v1/templates/tpl-no-such-id")) == 1


async def test_a_failed_template_detail_is_explained_like_any_upstream_failure(
    settings: Settings, mode: str, sandbox: Any
) -> None:
    # Reads retry an unreadable answer; only one that stays unreadable is a failure.
    policy = RetryPolicy(max_attempts=2, base_delay=0)
    async with Client(build_server(settings, retry=policy), mode=mode) as client:  # type: ignore[arg-type]
        structured(await client.call_tool("list_catalog", templates("team")))  # caches the list
        sandbox.control.faults(malformed_next=policy.max_attempts)
        result = await client.call_tool("list_catalog", {"kind": "templates", "limit": 2})
    assert result.is_error
    message = text_of(result)
    assert "could not be read" in message and "TaskGroup" not in message
