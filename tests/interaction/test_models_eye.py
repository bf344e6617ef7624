"""A model that reads only tools/list: every option goes where the descriptions say it goes,
and every refusal names a path that is then accepted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from mcp import Client

from tests._helpers import text_of

pytestmark = pytest.mark.anyio

SCRIPT = "Fresh bread every morning. Come early for the croissants."
REQUIRED = {
    "create_video_from_text": {"script": SCRIPT, "preview": True},
    "create_video_from_article": {"url": "https://blog.example.com/bakery", "preview": True},
    "create_video_from_presentation": {
        "ppt_url": "https://files.example.com/deck.pptx",
        "preview": True,
    },
}
# A valid value for every option name the descriptions mention or the extras schema lists.
VALUES: dict[str, Any] = {
    "voice": "Brian",
    "aspect_ratio": "9:16",
    "language": "en",
    "music_volume": 0.2,
    "video_name": "Bakery",
    "subtitle_style": "Headliner",
    "brand": "Default Brand",
    "voice_speed": 110,
    "voice_volume": 0.5,
    "music_url": "https://tracks.sandbox.pictory.invalid/music/279/bio-journey.mp3",
    "subtitle_custom": {"font": "Montserrat", "decorations": ["bold"]},
    "logo_url": "https://cdn.example.com/logo.png",
    "logo_position": "top-right",
    "logo_width": 10,
    "smart_layout": "Wanderlust",
    "vimeo_connection_id": "20250301120000000vm1a2b3c4d5e6f7",
    "vimeo_folder_uri": "/videos/123456",
    "vimeo_privacy": "unlisted",
    "aws_connection_id": "20241207042423053xmex5z9ag9ivmp21",
}
# Options that only make sense with another one.
NEEDS: dict[str, dict[str, Any]] = {
    "logo_position": {"logo_url": VALUES["logo_url"]},
    "logo_width": {"logo_url": VALUES["logo_url"]},
    "vimeo_folder_uri": {"vimeo_connection_id": VALUES["vimeo_connection_id"]},
    "vimeo_privacy": {"vimeo_connection_id": VALUES["vimeo_connection_id"]},
}


def at(path: str, value: Any) -> dict[str, Any]:
    """The arguments that put `value` at the dotted argument `path`."""
    *outer, last = path.split(".")
    tree: dict[str, Any] = {last: value}
    for part in reversed(outer):
        tree = {part: tree}
    return tree


def merged(*trees: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tree in trees:
        for key, value in tree.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merged(out[key], value)
            else:
                out[key] = value
    return out


async def described(client: Client) -> dict[str, dict[str, Any]]:
    return {t.name: t.input_schema for t in (await client.list_tools()).tools}


async def test_the_descriptions_cover_every_option_and_say_where_it_goes(
    client: Client,
) -> None:
    schemas = await described(client)
    text = str(schemas["create_video_from_text"])
    for schema in (schemas[t] for t in REQUIRED):
        options = schema["properties"]["options"]["description"]
        assert "top-level" in options
    for name in ("video_name", "subtitle_style", "brand", "extras", "music_url"):
        assert name in text


@pytest.mark.parametrize("tool", list(REQUIRED))
@pytest.mark.parametrize("place", ["top-level", "options", "options.extras"])
async def test_every_option_is_accepted_in_every_place_the_descriptions_name(
    client: Client, tool: str, place: str
) -> None:
    for name, value in VALUES.items():
        where = name if place == "top-level" else f"{place}.{name}"
        extra = {k: v for k, v in NEEDS.get(name, {}).items()}
        arguments = merged(REQUIRED[tool], at(where, value), extra)
        result = await client.call_tool(tool, arguments)
        assert not result.is_error, (tool, where, text_of(result))


REFUSED = [
    {"musicUrl": VALUES["music_url"]},
    {"options": {"extras": {"speed": 120}}},
    {"options": {"brandName": "Default Brand"}},
    {"extras": {"logo": VALUES["logo_url"]}},
    {"subtitleStyle": {"font": "Montserrat"}},
    {"vimeoConnectionId": VALUES["vimeo_connection_id"]},
]
PATH = re.compile(r"\(at ([\w.]+)\)")


@pytest.mark.parametrize("given", REFUSED, ids=lambda g: str(g)[:30])
async def test_every_refusal_names_a_path_that_is_then_accepted(
    client: Client, given: dict[str, Any]
) -> None:
    tool = "create_video_from_text"
    result = await client.call_tool(tool, merged(REQUIRED[tool], given))
    assert result.is_error
    found = PATH.search(text_of(result))
    assert found, text_of(result)
    path = found[1]
    value = VALUES[path.rpartition(".")[2]]
    fixed = await client.call_tool(tool, merged(REQUIRED[tool], at(path, value)))
    assert not fixed.is_error, (path, text_of(fixed))
