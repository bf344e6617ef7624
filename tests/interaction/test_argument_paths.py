"""Where the create tools' options go, how refusals and next steps name them, what subtitle
styling reaches Pictory, and what the answers echo and report of the options set."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

SCRIPT = "Fresh bread every morning. Come early for the croissants."
VIMEO = "20250301120000000vm1a2b3c4d5e6f7"
AWS = "20241207042423053xmex5z9ag9ivmp21"
PLACES = {
    "top-level": lambda name, value: {name: value},
    "options": lambda name, value: {"options": {name: value}},
    "options.extras": lambda name, value: {"options": {"extras": {name: value}}},
    "extras": lambda name, value: {"extras": {name: value}},
}


def rendered(sandbox: Any) -> dict[str, Any]:
    body: dict[str, Any] = posts(sandbox, "/v2/video/storyboard/render")[-1]["body"]
    return body


async def test_a_music_url_from_search_library_is_accepted_wherever_an_option_goes(
    client: Client, sandbox: Any
) -> None:
    page = structured(await client.call_tool("search_library", {"kind": "music"}))
    track = page["items"][0]["music_url"]
    for tool, required in (
        ("create_video_from_text", {"script": SCRIPT}),
        ("create_video_from_article", {"url": "https://blog.example.com/bakery"}),
    ):
        for place, put in PLACES.items():
            result = await client.call_tool(tool, {**required, **put("music_url", track)})
            assert not result.is_error, (tool, place, text_of(result))
            assert rendered(sandbox)["backgroundMusic"]["musicUrl"] == track


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ({"musicUrl": "https://x.example/a.mp3"}, "'music_url' (at options.extras.music_url)"),
        ({"options": {"extras": {"music": "https://x.example/a.mp3"}}}, "options.extras.music_url"),
        ({"options": {"subtitleStyleId": "Headliner"}}, "'subtitle_style' (at options.subtitle_style)"),
        ({"aspect": "9:16"}, "Did you mean 'aspect_ratio'?"),
    ],
)  # fmt: skip
async def test_an_unknown_name_is_refused_with_the_path_where_the_closest_name_is_accepted(
    client: Client, sandbox: Any, given: dict[str, Any], path: str
) -> None:
    result = await client.call_tool("create_video_from_text", {"script": SCRIPT, **given})
    assert result.is_error
    assert path in text_of(result)
    assert posts(sandbox, "/v2/video/storyboard/render") == []


async def test_next_steps_name_this_servers_arguments_never_pictorys_fields(
    client: Client,
) -> None:
    music = structured(await client.call_tool("search_library", {"kind": "music"}))
    assert "options.extras.music_url" in music["next_step"]
    assert "backgroundMusic" not in music["next_step"]
    for kind, arg in (
        ("vimeo_connections", "options.extras.vimeo_connection_id"),
        ("aws_connections", "options.extras.aws_connection_id"),
        ("smart_layouts", "options.extras.smart_layout"),
    ):
        page = structured(await client.call_tool("list_catalog", {"kind": kind}))
        assert arg in page["next_step"]
        assert "ConnectionId" not in page["next_step"] and "LayoutId" not in page["next_step"]


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"options": {"extras": {"subtitle_custom": {"font": "Comic Sans"}}}},
         "options.extras.subtitle_custom.font"),
        ({"subtitle_custom": {"color": "blue-ish"}}, "subtitle_custom.color"),
        ({"extras": {"premium_voice": {"model": "eleven_v9"}}, "voice": "Adam"},
         "extras.premium_voice.model"),
        ({"logo_position": "top-left"}, "logo_position"),
    ],
)  # fmt: skip
async def test_a_refusal_names_the_argument_path_the_agent_used_not_pictorys_fields(
    client: Client, sandbox: Any, given: dict[str, Any], named: str
) -> None:
    result = await client.call_tool("create_video_from_text", {"script": SCRIPT, **given})
    message = text_of(result)
    assert result.is_error
    assert named in message
    for pictory in ("fontFamily", "fontUrl", "subtitleStyle", "premiumVoiceSettings", "logo."):
        assert pictory not in message
    assert posts(sandbox, "/v2/video/storyboard/render") == []


async def test_subtitle_decorations_case_and_colours_reach_pictory_and_fonts_are_listed(
    client: Client, sandbox: Any
) -> None:
    custom = {
        "font": "bebas neue",
        "color": "#FFFF00",
        "background_color": "rgba(0,0,0,0)",
        "decorations": ["bold", "italics"],
        "case": "uppercase",
        "alignment": "center",
    }
    view = structured(
        await client.call_tool(
            "create_video_from_text", {"script": SCRIPT, "subtitle_custom": custom}
        )
    )
    assert rendered(sandbox)["subtitleStyle"] == {
        "fontFamily": "Bebas Neue",
        "color": "#FFFF00",
        "backgroundColor": "rgba(0,0,0,0)",
        "decorations": ["bold", "italics"],
        "case": "uppercase",
        "alignment": "center",
    }
    assert view["details"]["submitted"]["subtitle_custom"]["decorations"] == ["bold", "italics"]
    contents = (await client.read_resource("pictory://schema/extras")).contents[0]
    schema = json.loads(contents.text)  # type: ignore[union-attr]
    font = schema["$defs"]["SubtitleCustom"]["properties"]["font"]
    assert "Montserrat" in json.dumps(font) and "Bebas Neue" in json.dumps(font)
    styles = structured(await client.call_tool("list_catalog", {"kind": "text_styles"}))
    assert "subtitle_custom" in styles["next_step"]


async def test_the_submitted_summary_echoes_every_option_set(client: Client) -> None:
    extras = {
        "voice_speed": 110,
        "subtitle_custom": {"font": "Montserrat", "decorations": ["bold"]},
        "logo_url": "https://cdn.example.com/logo.png",
        "logo_position": "top-right",
        "vimeo_connection_id": VIMEO,
        "vimeo_privacy": "unlisted",
        "vimeo_folder_uri": "/videos/123456",
        "aws_connection_id": AWS,
    }
    view = structured(
        await client.call_tool(
            "create_video_from_text", {"script": SCRIPT, "options": {"extras": extras}}
        )
    )
    submitted = view["details"]["submitted"]
    assert submitted["voice_speed"] == 110
    assert submitted["subtitle_custom"] == {"font": "Montserrat", "decorations": ["bold"]}
    assert submitted["logo_url"] == "https://cdn.example.com/logo.png"
    assert submitted["logo_position"] == "top-right"
    assert submitted["vimeo"] == "Company Vimeo"
    assert submitted["vimeo_privacy"] == "unlisted"
    assert submitted["vimeo_folder_uri"] == "/videos/123456"
    assert submitted["aws_connection"] == "marketing-assets"


async def test_a_finished_render_reports_its_vimeo_upload(client: Client, sandbox: Any) -> None:
    started = structured(
        await client.call_tool(
            "create_video_from_text", {"script": SCRIPT, "vimeo_connection_id": VIMEO}
        )
    )
    sandbox.control.advance_clock(3600)
    done = structured(await client.call_tool("check_job", {"job_id": started["job_id"]}))
    assert done["status"] == "completed"
    assert done["details"]["destinations"]["vimeo"].startswith("https://vimeo.com/")
    plain = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    sandbox.control.advance_clock(3600)
    other = structured(await client.call_tool("check_job", {"job_id": plain["job_id"]}))
    assert "destinations" not in other.get("details", {})
