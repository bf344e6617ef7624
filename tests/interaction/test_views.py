"""Inline views (MCP Apps) through mcp.Client: which tools link which view, who sees the
view-only tools, the views' resources and CSP, the answers of the view-only tools, and that a
client without views gets exactly the answers it got before views existed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.server.apps import APP_MIME_TYPE

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import ADVANCE, ShowsViews, make_settings, structured

pytestmark = pytest.mark.anyio

PLAYER = "ui://pictory/player.html"
STORYBOARD = "ui://pictory/storyboard.html"
VIEW_ONLY = {"get_player_state", "get_storyboard"}


def host(settings: Settings, mode: str) -> Client:
    return Client(build_server(settings), mode=mode, extensions=[ShowsViews()])  # type: ignore[arg-type]


def get_requests(sandbox: Any, job_id: str) -> int:
    return len(sandbox.control.requests(method="GET", path_prefix=f"/pictoryapis/v1/jobs/{job_id}"))


async def test_tools_link_their_views_and_view_only_tools_are_listed_only_to_hosts_of_views(
    client: Client, settings: Settings, mode: str
) -> None:
    plain = {t.name: t for t in (await client.list_tools()).tools}
    assert not VIEW_ONLY & set(plain)
    async with host(settings, mode) as viewing:
        listed = {t.name: t for t in (await viewing.list_tools()).tools}
    assert set(listed) == set(plain) | VIEW_ONLY
    for name in ("check_job", "wait_for_job", "download_video"):
        assert listed[name].meta == {"ui": {"resourceUri": PLAYER}} == plain[name].meta
    assert listed["get_preview"].meta == {"ui": {"resourceUri": STORYBOARD}}
    assert listed["get_player_state"].meta == {"ui": {"resourceUri": PLAYER, "visibility": ["app"]}}
    assert listed["get_storyboard"].meta == {
        "ui": {"resourceUri": STORYBOARD, "visibility": ["app"]}
    }
    assert all(listed[n].annotations.read_only_hint for n in VIEW_ONLY)  # type: ignore[union-attr]
    unlinked = {n for n, t in plain.items() if not t.meta}
    assert "create_video_from_text" in unlinked and "list_voices" in unlinked


async def test_a_client_without_views_gets_the_same_answers_as_a_host_of_views(
    client: Client, settings: Settings, mode: str, sandbox: Any
) -> None:
    made = structured(await client.call_tool("create_video_from_text", {"script": "Hello sea."}))
    sandbox.control.advance_clock(ADVANCE)
    job = {"job_id": made["job_id"]}
    first = await client.call_tool("check_job", job)
    async with host(settings, mode) as viewing:
        shown = await viewing.call_tool("check_job", job)
    assert shown.content == first.content
    assert shown.structured_content == first.structured_content
    assert shown.meta == first.meta


async def test_the_views_are_single_html_files_whose_csp_lists_the_media_hosts(
    client: Client, sandbox: Any
) -> None:
    listed = {str(r.uri): r for r in (await client.list_resources()).resources}
    origin = sandbox.root_url.rstrip("/")
    for uri in (PLAYER, STORYBOARD):
        assert listed[uri].mime_type == APP_MIME_TYPE
        static = listed[uri].meta["ui"]["csp"]["resourceDomains"]  # type: ignore[index]
        assert "https://*.pictory.ai" in static and origin not in static
        content = (await client.read_resource(uri)).contents[0]
        assert content.mime_type == APP_MIME_TYPE
        csp = content.meta["ui"]["csp"]  # type: ignore[index]
        assert csp["resourceDomains"] == [*static, origin]  # the sandbox serves its own files
        assert set(csp) == {"resourceDomains"}  # no fetches, frames or other bases
        html = content.text  # type: ignore[union-attr]
        assert html.startswith("<!doctype html>") and "/*@view" not in html
        assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", html, re.I)
        assert "innerHTML" not in html  # what users wrote is put in as text, never as markup


async def test_the_player_state_of_a_running_job_asks_pictory_at_most_once_per_interval(
    sandbox: Any, tmp_path: Path, mode: str
) -> None:
    sandbox.control.configure(render_seconds=600)
    settings = make_settings(sandbox.api_base_url, tmp_path, poll_interval=30.0)
    async with host(settings, mode) as viewing:
        made = structured(
            await viewing.call_tool("create_video_from_text", {"script": "Slow render."})
        )
        job = {"job_id": made["job_id"]}
        first = structured(await viewing.call_tool("get_player_state", job))
        asked = get_requests(sandbox, made["job_id"])
        again = structured(await viewing.call_tool("get_player_state", job))
        assert get_requests(sandbox, made["job_id"]) == asked  # within the interval: the history
    assert first["status"] == again["status"] == "in-progress"
    assert first["refresh_seconds"] == 30.0
    assert "video_url" not in first


async def test_the_player_state_of_a_finished_video_has_its_poster_subtitles_name_and_length(
    settings: Settings, mode: str, sandbox: Any
) -> None:
    async with host(settings, mode) as viewing:
        made = structured(
            await viewing.call_tool(
                "create_video_from_text",
                {"script": "Whales sing across oceans.", "video_name": "Whale song"},
            )
        )
        sandbox.control.advance_clock(ADVANCE)
        state = structured(await viewing.call_tool("get_player_state", {"job_id": made["job_id"]}))
        full = structured(
            await viewing.call_tool("check_job", {"job_id": made["job_id"], "detail": True})
        )
    assert state["status"] == "completed" and "refresh_seconds" not in state
    assert state["video_url"] == full["video_url"]
    assert state["thumbnail_url"] == full["details"]["thumbnail_url"]
    assert state["name"] == "Whale song"
    assert state["duration_seconds"] == full["details"]["duration_seconds"] > 0
    assert state["subtitles_vtt"].startswith("WEBVTT")
    assert "Whales sing across oceans." in state["subtitles_vtt"]


async def test_the_player_state_of_a_failed_job_has_the_error_and_its_fix(
    settings: Settings, mode: str, sandbox: Any
) -> None:
    sandbox.control.fail_next_jobs(1, error_code="SCENE_BACKGROUND_VISUAL_NOT_FOUND")
    async with host(settings, mode) as viewing:
        made = structured(await viewing.call_tool("create_video_from_text", {"script": "Oops."}))
        sandbox.control.advance_clock(ADVANCE)
        await viewing.call_tool("check_job", {"job_id": made["job_id"]})  # recorded as failed
        state = structured(await viewing.call_tool("get_player_state", {"job_id": made["job_id"]}))
    assert state["status"] == "failed"
    assert state["error"]["code"] == "SCENE_BACKGROUND_VISUAL_NOT_FOUND"
    assert "broader visual queries" in state["error"]["fix"]


async def test_the_storyboard_gives_every_scene_in_full(
    settings: Settings, mode: str, sandbox: Any
) -> None:
    long = "Coral reefs " + "shelter thousands of species and protect the coasts " * 5 + "."
    async with host(settings, mode) as viewing:
        made = structured(
            await viewing.call_tool(
                "create_video_from_text", {"script": f"{long} Short end.", "preview": True}
            )
        )
        sandbox.control.advance_clock(ADVANCE)
        job = {"job_id": made["job_id"]}
        page = structured(await viewing.call_tool("get_preview", {**job, "limit": 1}))
        board = structured(await viewing.call_tool("get_storyboard", job))
    assert page["items"][0]["text"].endswith("…")
    assert board["scenes"][0]["text"] == long.strip()
    assert len(board["scenes"]) == page["total"] == 2
    assert board["editable"] is True and board["total_seconds"] > 0
    assert board["width"] and board["height"]


async def test_a_read_only_server_shows_the_storyboard_without_editing(
    client: Client, sandbox: Any, tmp_path: Path, mode: str
) -> None:
    made = structured(
        await client.call_tool("create_video_from_text", {"script": "Read me.", "preview": True})
    )
    sandbox.control.advance_clock(ADVANCE)
    read_only = make_settings(sandbox.api_base_url, tmp_path, read_only=True)
    async with host(read_only, mode) as viewing:
        board = structured(await viewing.call_tool("get_storyboard", {"job_id": made["job_id"]}))
        listed = {t.name for t in (await viewing.list_tools()).tools}
    assert board["editable"] is False and "read-only" in board["next_step"]
    assert listed >= VIEW_ONLY and "update_preview_scene" not in listed


async def test_toolsets_without_job_or_preview_tools_offer_no_views(
    sandbox: Any, tmp_path: Path, mode: str
) -> None:
    text_only = make_settings(sandbox.api_base_url, tmp_path, toolsets=("text", "catalog"))
    async with host(text_only, mode) as viewing:
        resources = [str(r.uri) for r in (await viewing.list_resources()).resources]
        tools = {t.name: t for t in (await viewing.list_tools()).tools}
    assert not [uri for uri in resources if uri.startswith("ui://")]
    assert not VIEW_ONLY & set(tools) and not any(t.meta for t in tools.values())
