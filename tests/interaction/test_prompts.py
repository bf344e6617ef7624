"""Every recipe prompt renders, and every tool it tells the agent to call exists."""

from __future__ import annotations

import re

import pytest
from mcp import Client

pytestmark = pytest.mark.anyio

ARGS = {
    "text_to_video": {"topic": "tides"},
    "blog_to_video": {"url": "https://example.com/post"},
    "powerpoint_to_video": {"ppt_url": "https://example.com/deck.pptx"},
    "highlights_from_video": {
        "media_url": "https://example.com/talk.mp4",
        "duration_seconds": "45",
    },
    "preview_then_render": {"topic": "tides"},
}


async def test_each_recipe_names_only_real_tools(client: Client) -> None:
    prompts = {p.name for p in (await client.list_prompts()).prompts}
    assert prompts == set(ARGS)
    tools = {t.name for t in (await client.list_tools()).tools}
    for name, args in ARGS.items():
        got = await client.get_prompt(name, args)
        text = " ".join(getattr(m.content, "text", "") for m in got.messages)
        for value in args.values():
            assert value in text
        called = set(re.findall(r"\b([a-z]+(?:_[a-z]+)+)\(", text))
        assert called, name
        assert called <= tools, (name, called - tools)
