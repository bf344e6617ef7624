"""Every string argument is bounded, and every URL argument is refused before it reaches
Pictory unless it is a short http(s) URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.server.app import build_server
from pictory_mcp.server.tools._submit import MAX_URL
from tests._helpers import text_of

pytestmark = pytest.mark.anyio

BAD_URLS = {
    "file": "file:///etc/passwd",
    "javascript": "javascript:alert(1)",
    "ftp": "ftp://example.com/talk.mp4",
    "no-scheme": "example.com/talk.mp4",
    "data": "data:text/html,<b>hi</b>",
    "too-long": "https://example.com/" + "a" * MAX_URL,
}


@pytest.fixture
def mode() -> str:
    """One protocol era is enough here: the refusals happen inside the tools."""
    return "auto"


def strings_in(schema: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema node that may be a string, with a dotted path to it."""
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "string" or (isinstance(kind, list) and "string" in kind):
            yield where, schema
        for key, value in schema.items():
            if key in ("properties", "$defs", "definitions"):
                for name, sub in value.items():
                    yield from strings_in(sub, f"{where}.{name}")
            elif key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf"):
                yield from strings_in(value, f"{where}[{key}]")
    elif isinstance(schema, list):
        for sub in schema:
            yield from strings_in(sub, where)


def is_bounded(node: dict[str, Any]) -> bool:
    return "maxLength" in node or "enum" in node or "const" in node or "pattern" in node


async def test_every_string_argument_in_tools_list_is_bounded(client: Client) -> None:
    unbounded = [
        f"{tool.name}{where}"
        for tool in (await client.list_tools()).tools
        for where, node in strings_in(tool.input_schema)
        if not is_bounded(node)
    ]
    assert not unbounded


async def test_every_string_in_the_full_argument_models_is_bounded(settings: Any) -> None:
    # tools/list compacts nested option objects; the models behind them are checked here.
    server = build_server(settings)
    unbounded = []
    for tool in server._tool_manager.list_tools():
        for where, node in strings_in(tool.parameters):
            if not is_bounded(node) and where.rsplit(".", 1)[-1] != "ctx":
                unbounded.append(f"{tool.name}{where}")
    assert not unbounded


def url_cases() -> list[tuple[str, dict[str, Any], str]]:
    """(tool, arguments with URL placeholder '{U}', argument name) for every URL argument."""
    text = {"script": "Rivers carry the story.", "voice": "Joanna"}
    return [
        ("create_video_from_article", {"url": "{U}"}, "url"),
        ("create_video_from_presentation", {"ppt_url": "{U}"}, "ppt_url"),
        ("create_video_highlights", {"media_url": "{U}"}, "media_url"),
        (
            "update_preview_scene",
            {"job_id": "some-job", "scene": 1, "visual_url": "{U}"},
            "visual_url",
        ),
        (
            "create_video_from_text",
            {**text, "options": {"extras": {"music_url": "{U}"}}},
            "music_url",
        ),
        (
            "create_video_from_text",
            {**text, "options": {"extras": {"logo_url": "{U}"}}},
            "logo_url",
        ),
    ]


def fill(value: Any, url: str) -> Any:
    if value == "{U}":
        return url
    if isinstance(value, dict):
        return {k: fill(v, url) for k, v in value.items()}
    return value


async def test_every_url_argument_in_tools_list_is_covered_here(client: Client) -> None:
    covered = {(tool, arg) for tool, _, arg in url_cases()}
    listed = {
        (tool.name, where.rsplit(".", 1)[-1])
        for tool in (await client.list_tools()).tools
        for where, _ in strings_in(tool.input_schema)
        if "url" in where.rsplit(".", 1)[-1].lower()
    }
    assert listed <= covered


@pytest.mark.parametrize("bad", list(BAD_URLS), ids=list(BAD_URLS))
@pytest.mark.parametrize(
    ("tool", "args", "arg"), url_cases(), ids=[f"{t}-{a}" for t, _, a in url_cases()]
)
async def test_a_bad_url_is_refused_clearly_before_any_request(
    client: Client, sandbox: Any, tool: str, args: dict[str, Any], arg: str, bad: str
) -> None:
    before = len(sandbox.control.requests())
    result = await client.call_tool(tool, fill(args, BAD_URLS[bad]))
    message = text_of(result)
    assert result.is_error
    assert arg in message and "Traceback" not in message
    assert message.strip() != f"Error executing tool {tool}"
    # Look-ups (the voice list) may happen first; nothing carrying the URL may be sent.
    sent = sandbox.control.requests()[before:]
    assert not [r for r in sent if r["method"] in ("POST", "PUT")], sent
    assert not [r for r in sent if BAD_URLS[bad][:30] in f"{r.get('body')} {r.get('query')}"]
