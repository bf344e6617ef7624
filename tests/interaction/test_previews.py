"""Preview first, then render: get_preview and update_preview_scene through mcp.Client against the
sandbox, from create_video_from_text(preview=true) to a rendered video whose subtitles hold the edit.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

SCRIPT = (
    "Solar power is getting cheaper every year. Panels now pay for themselves faster. "
    "Batteries store the midday sun for the evening."
)
NEW_TEXT = "Solar is now the cheapest power in history."
NEW_IMAGE = "https://images.example.com/solar-farm.jpg"


async def ready_preview(client: Client, sandbox: Any, script: str = SCRIPT) -> str:
    """A completed preview of `script`, made the way an agent would."""
    started = structured(
        await client.call_tool("create_video_from_text", {"script": script, "preview": True})
    )
    sandbox.control.advance_clock(3600)
    return str(started["job_id"])


def element_puts(sandbox: Any) -> list[dict[str, Any]]:
    return [r for r in posts(sandbox, "/elements") if r["method"] == "PUT"]


async def test_preview_edit_then_render_end_to_end(client: Client, sandbox: Any) -> None:
    job_id = await ready_preview(client, sandbox)
    page = structured(await client.call_tool("get_preview", {"job_id": job_id}))
    assert page["total"] == 3
    assert [s["scene"] for s in page["items"]] == [1, 2, 3]
    first = page["items"][0]
    assert first["text"] == "Solar power is getting cheaper every year."
    assert first["visual"].startswith("http") and first["visual_type"] == "video"
    assert first["start"] == 0 and first["duration"] > 0
    assert page["items"][1]["start"] == pytest.approx(first["duration"], abs=0.01)
    assert "next_offset" not in page  # nulls are dropped from results
    assert f"/preview/{job_id}" in page["next_step"] and "3 scenes" in page["next_step"]

    edited = structured(
        await client.call_tool(
            "update_preview_scene",
            {"job_id": job_id, "scene": 2, "text": NEW_TEXT, "visual_url": NEW_IMAGE},
        )
    )
    assert edited["items"] == [
        {
            "scene": 2,
            "text": NEW_TEXT,
            "visual": NEW_IMAGE,
            "visual_type": "image",
            "start": page["items"][1]["start"],
            "duration": page["items"][1]["duration"],
        }
    ]
    assert "render_preview" in edited["next_step"]
    sent = element_puts(sandbox)
    assert [r["path"] for r in sent] == [f"/pictoryapis/v2/video/storyboard/{job_id}/elements"]
    body = sent[0]["body"]
    assert [(e["id"], e["elementType"]) for e in body] == [
        ("SceneText_2", "SceneText"),
        ("backgroundElement_2", "backgroundElement"),
    ]
    assert body[0]["text"] == NEW_TEXT and body[0]["type"] == "text"
    assert body[1]["url"] == NEW_IMAGE and body[1]["type"] == "image"
    # Whole elements go back, timing untouched.
    assert body[1]["startTime"] == page["items"][1]["start"]

    again = structured(await client.call_tool("get_preview", {"job_id": job_id}))
    assert again["items"][1]["text"] == NEW_TEXT
    assert again["items"][1]["visual"] == NEW_IMAGE
    assert again["items"][0] == first and again["items"][2] == page["items"][2]

    render = structured(await client.call_tool("render_preview", {"job_id": job_id}))
    assert [r["path"].rsplit("/", 1)[-1] for r in posts(sandbox, "/v2/video/render/")] == [job_id]
    sandbox.control.advance_clock(3600)
    done = structured(
        await client.call_tool("check_job", {"job_id": render["job_id"], "detail": True})
    )
    assert done["status"] == "completed" and done["video_url"].endswith(".mp4")
    async with httpx.AsyncClient(timeout=10) as http:
        srt = (await http.get(done["details"]["subtitles"]["srt"])).text
    assert NEW_TEXT in srt and "Panels now pay" not in srt


async def test_the_same_edit_twice_leaves_the_same_preview(client: Client, sandbox: Any) -> None:
    job_id = await ready_preview(client, sandbox)
    args = {"job_id": job_id, "scene": 1, "text": NEW_TEXT}
    first = structured(await client.call_tool("update_preview_scene", args))
    before = structured(await client.call_tool("get_preview", {"job_id": job_id}))
    second = structured(await client.call_tool("update_preview_scene", args))
    after = structured(await client.call_tool("get_preview", {"job_id": job_id}))
    assert first == second and before == after
    bodies = [r["body"] for r in element_puts(sandbox)]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert [e["id"] for e in bodies[0]] == ["SceneText_1"]


async def test_a_visual_url_without_a_known_extension_takes_the_given_type(
    client: Client, sandbox: Any
) -> None:
    job_id = await ready_preview(client, sandbox)
    url = "https://cdn.example.com/media/12345?format=hd"
    edited = structured(
        await client.call_tool(
            "update_preview_scene",
            {"job_id": job_id, "scene": 3, "visual_url": url, "visual_type": "video"},
        )
    )
    assert edited["items"][0]["visual"] == url
    [body] = [r["body"] for r in element_puts(sandbox)]
    assert [(e["id"], e["type"], e["url"]) for e in body] == [("backgroundElement_3", "video", url)]


async def test_a_long_preview_is_paged_and_long_text_is_shortened(
    client: Client, sandbox: Any
) -> None:
    long_sentence = "This sentence is long " + "and goes on " * 30 + "until it ends."
    script = " ".join(f"Scene number {n} is here." for n in range(1, 13)) + " " + long_sentence
    job_id = await ready_preview(client, sandbox, script)
    first = structured(await client.call_tool("get_preview", {"job_id": job_id}))
    assert first["total"] == 13 and len(first["items"]) == 10
    assert first["next_offset"] == 10 and "offset=10" in first["next_step"]
    rest = structured(await client.call_tool("get_preview", {"job_id": job_id, "offset": 10}))
    assert [s["scene"] for s in rest["items"]] == [11, 12, 13]
    assert "next_offset" not in rest
    shown = rest["items"][-1]["text"]
    assert len(shown) == 200 and shown.endswith("…") and shown.startswith("This sentence")
    past = await client.call_tool("get_preview", {"job_id": job_id, "offset": 13})
    assert past.is_error and "0-12" in text_of(past)


async def test_a_preview_still_in_progress_is_refused_with_wait_for_job(
    client: Client, sandbox: Any
) -> None:
    started = structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, "preview": True})
    )
    for tool, args in (
        ("get_preview", {"job_id": started["job_id"]}),
        ("update_preview_scene", {"job_id": started["job_id"], "scene": 1, "text": NEW_TEXT}),
    ):
        result = await client.call_tool(tool, args)
        assert result.is_error
        assert "still being made" in text_of(result) and "wait_for_job" in text_of(result)
    assert element_puts(sandbox) == []


async def test_a_failed_preview_is_refused_with_its_error(client: Client, sandbox: Any) -> None:
    sandbox.control.fail_next_jobs(1, error_code="TEXT_TO_VIDEO_FAILED", error_message="Boom.")
    job_id = await ready_preview(client, sandbox)
    result = await client.call_tool("get_preview", {"job_id": job_id})
    assert result.is_error and "failed: Boom." in text_of(result)
    edit = await client.call_tool(
        "update_preview_scene", {"job_id": job_id, "scene": 1, "text": NEW_TEXT}
    )
    assert edit.is_error and "failed" in text_of(edit)
    assert element_puts(sandbox) == []


async def test_a_final_render_is_not_a_preview(client: Client, sandbox: Any) -> None:
    started = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    sandbox.control.advance_clock(3600)
    result = await client.call_tool("get_preview", {"job_id": started["job_id"]})
    assert result.is_error
    assert "not a storyboard preview" in text_of(result) and "preview=true" in text_of(result)


async def test_an_unknown_job_points_to_the_job_history(client: Client, sandbox: Any) -> None:
    result = await client.call_tool("get_preview", {"job_id": "no-such-job"})
    assert result.is_error and "pictory://jobs" in text_of(result)


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ({"scene": 4, "text": NEW_TEXT}, "valid scenes are 1-3"),
        ({"scene": 1}, "Nothing to change"),
        ({"scene": 1, "text": "   "}, "text is blank"),
        ({"scene": 1, "visual_type": "image"}, "pass visual_url too"),
        ({"scene": 1, "visual_url": "ftp://example.com/a.jpg"}, "http(s) URL"),
        ({"scene": 1, "visual_url": "https://example.com/" + "a" * 1990}, "at most 2000"),
        ({"scene": 1, "visual_url": "https://example.com/clip"}, "pass visual_type"),
    ],
)
async def test_bad_edits_are_refused_before_anything_is_sent(
    client: Client, sandbox: Any, edit: dict[str, Any], says: str
) -> None:
    job_id = await ready_preview(client, sandbox)
    result = await client.call_tool("update_preview_scene", {"job_id": job_id, **edit})
    assert result.is_error and says in text_of(result), text_of(result)
    assert element_puts(sandbox) == []


async def test_text_over_the_limit_is_refused_by_the_schema(client: Client, sandbox: Any) -> None:
    job_id = await ready_preview(client, sandbox)
    result = await client.call_tool(
        "update_preview_scene", {"job_id": job_id, "scene": 1, "text": "x" * 2001}
    )
    assert result.is_error and "2000" in text_of(result)
    assert element_puts(sandbox) == []


async def test_the_tools_declare_honest_annotations(client: Client) -> None:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    read = tools["get_preview"].annotations
    edit = tools["update_preview_scene"].annotations
    assert read is not None and read.read_only_hint is True and read.idempotent_hint is True
    assert edit is not None and edit.read_only_hint is False
    assert edit.idempotent_hint is True and edit.destructive_hint is True


async def test_an_edit_of_invisible_characters_only_is_refused_as_blank(
    client: Client, sandbox: Any
) -> None:
    result = await client.call_tool(
        "update_preview_scene", {"job_id": "abc", "scene": 1, "text": "\u200b\u200b"}
    )
    assert result.is_error
    assert "text is blank" in text_of(result)
    assert not [r for r in sandbox.control.requests() if r["method"] in ("POST", "PUT")]
