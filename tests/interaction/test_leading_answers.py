"""Refusals and next steps lead somewhere: one wording for an unknown job, each tool's real URL
rule on the first refusal, failure-specific fixes, one way to wait, and a word whenever the
result is not what was asked (a shorter clip, a voice the caller did not choose)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.server.app import INSTRUCTIONS
from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

UNKNOWN = "0f0f0f0f-0000-4000-8000-000000000000"
SCRIPT = "Fresh bread every morning. Our bakery opens at six."
MEDIA = "https://media.example.com/talks/keynote-2024.mp4"
CREATE_TOOLS = (
    "create_video_from_text",
    "create_video_from_article",
    "create_video_from_presentation",
    "create_video_from_template",
    "create_video_from_storyboard",
)


async def _refusal(client: Client, tool: str, args: dict[str, Any]) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error, text_of(result)
    return text_of(result)


async def test_an_unknown_job_id_gets_one_sentence_from_every_tool(client: Client) -> None:
    answers = {
        tool: await _refusal(client, tool, {"job_id": UNKNOWN})
        for tool in ("check_job", "render_preview", "get_preview")
    }
    for tool, text in answers.items():
        assert f"No job '{UNKNOWN}' exists for this API key (404)" in text, tool
        assert text.count("for this API key") == 1, text
        assert "pictory://jobs" in text, text
    assert answers["render_preview"] == answers["get_preview"]


async def test_render_preview_of_a_finished_video_says_there_is_nothing_to_render(
    client: Client, sandbox: Any
) -> None:
    job_id = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))[
        "job_id"
    ]
    sandbox.control.advance_clock(3600)
    text = await _refusal(client, "render_preview", {"job_id": job_id})
    assert "already a rendered video" in text and "nothing to render" in text
    assert "Fix those values" not in text
    assert "video.mp4" in text  # where the finished video is
    assert posts(sandbox, "/v2/video/render/") == []


async def test_render_preview_of_a_running_preview_says_to_wait_for_it(
    client: Client, sandbox: Any
) -> None:
    job_id = structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, "preview": True})
    )["job_id"]
    text = await _refusal(client, "render_preview", {"job_id": job_id})
    assert "wait_for_job(job_id)" in text and "check_job" not in text


@pytest.mark.parametrize("url", ["ftp://media.example.com/a.mp4", "http://media.example.com/a.mp4"])
async def test_highlights_states_its_https_rule_on_the_first_refusal(
    client: Client, sandbox: Any, url: str
) -> None:
    text = await _refusal(client, "create_video_highlights", {"media_url": url})
    assert "https://" in text and "HTTPS" in text
    assert "http:// or https://" not in text


@pytest.mark.parametrize(
    ("tool", "arg", "url"),
    [
        ("create_video_from_article", "url", "example.com/blog/bread"),
        ("create_video_highlights", "media_url", "media.example.com/a.mp4"),
    ],
)
async def test_a_url_without_a_scheme_is_told_to_add_https(
    client: Client, sandbox: Any, tool: str, arg: str, url: str
) -> None:
    text = await _refusal(client, tool, {arg: url})
    assert "add https://" in text and f"'https://{url}'" in text
    assert "Upload" not in text
    assert posts(sandbox, "/v2/video/storyboard") == []


async def test_a_local_path_is_told_to_upload_the_file(client: Client) -> None:
    text = await _refusal(client, "create_video_from_presentation", {"ppt_url": "/home/me/d.pptx"})
    assert "local file path" in text and "Upload the file somewhere public" in text


async def test_an_over_long_script_says_its_length_the_limit_and_to_split_it(
    client: Client, sandbox: Any
) -> None:
    script = "Bread. " * 2200  # 15,400 characters
    text = await _refusal(client, "create_video_from_text", {"script": script})
    assert f"script is {len(script)} characters" in text
    assert "at most 15000 allowed" in text
    assert "split it into several videos" in text
    assert posts(sandbox, "/v2/video/storyboard/render") == []


async def _failed(client: Client, sandbox: Any, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    job_id = structured(await client.call_tool(tool, args))["job_id"]
    sandbox.control.advance_clock(3600)
    view = structured(await client.call_tool("check_job", {"job_id": job_id}))
    assert view["status"] == "failed", view
    return view


async def test_an_unreadable_article_offers_pasting_its_text_instead(
    client: Client, sandbox: Any
) -> None:
    view = await _failed(
        client, sandbox, "create_video_from_article", {"url": "https://news.invalid/post"}
    )
    step = view["next_step"]
    assert "could not read the page at https://news.invalid/post" in step
    assert "create_video_from_text(script=...)" in step
    assert view["error"]["fix"] == step


async def test_an_unreadable_presentation_offers_pasting_its_text_instead(
    client: Client, sandbox: Any
) -> None:
    url = "https://slides.invalid/deck.pptx"
    view = await _failed(client, sandbox, "create_video_from_presentation", {"ppt_url": url})
    assert f"could not read the presentation at {url}" in view["next_step"]
    assert "create_video_from_text(script=...)" in view["next_step"]


async def test_a_failure_with_no_cause_says_to_resubmit_once(client: Client, sandbox: Any) -> None:
    sandbox.control.fail_next_jobs(1)
    view = await _failed(client, sandbox, "create_video_from_text", {"script": SCRIPT})
    assert "Resubmit the same request once" in view["next_step"]
    assert "Fix what the message names" not in view["next_step"]


async def test_every_running_job_says_to_call_wait_for_job(client: Client, sandbox: Any) -> None:
    started = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    polled = structured(await client.call_tool("check_job", {"job_id": started["job_id"]}))
    workflow = structured(await client.call_tool("create_video_highlights", {"media_url": MEDIA}))
    for view in (started, polled, workflow):
        assert view["status"] == "in-progress", view
        assert (
            "Call wait_for_job(job_id) until it finishes (renders take 3-15 minutes)."
            in (view["next_step"])
        )
        assert "check_job" not in view["next_step"], view["next_step"]


async def test_descriptions_prompts_and_instructions_give_one_render_time(
    client: Client,
) -> None:
    texts = [INSTRUCTIONS]
    texts += [t.description or "" for t in (await client.list_tools()).tools]
    prompts = {
        "text_to_video": {"topic": "bread"},
        "blog_to_video": {"url": "https://example.com/a"},
        "powerpoint_to_video": {"ppt_url": "https://example.com/a.pptx"},
        "highlights_from_video": {"media_url": MEDIA},
        "preview_then_render": {"topic": "bread"},
    }
    for name, args in prompts.items():
        got = await client.get_prompt(name, args)
        texts += [getattr(m.content, "text", "") for m in got.messages]
    said = " ".join(texts)
    assert re.findall(r"\d+\s*[-–]\s*\d+\s*min\w*", said) != []
    assert set(re.findall(r"\d+\s*[-–]\s*\d+\s*min\w*", said)) == {"3-15 minutes"}
    assert "wait_for_job(job_id)" in INSTRUCTIONS
    assert "check_job every" not in said and "check_job(job_id) every" not in said


async def test_a_highlight_clip_shorter_than_asked_says_so(client: Client, sandbox: Any) -> None:
    started = structured(
        await client.call_tool(
            "create_video_highlights", {"media_url": MEDIA, "duration_seconds": 30}
        )
    )
    view = started
    for _ in range(6):
        sandbox.control.advance_clock(3600)
        view = structured(await client.call_tool("check_job", {"job_id": started["job_id"]}))
        if view["status"] == "completed":
            break
    assert view["status"] == "completed", view
    got = view["details"]["duration_seconds"]
    assert got < 27
    assert f"The clip is {got:g} s, shorter than the 30 s asked" in view["next_step"]


async def test_a_video_without_a_voice_names_the_default_voice_it_got(client: Client) -> None:
    chosen = structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, "voice": "Brian"})
    )
    assert "No voice was given" not in chosen["next_step"]
    default = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    voice = default["details"]["submitted"]["voice"]
    assert (
        f"No voice was given, so '{voice}' (the default for 'en') narrates"
        in (default["next_step"])
    )


async def test_update_preview_scene_says_the_voice_over_reads_the_new_text(
    client: Client, sandbox: Any
) -> None:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "(re-narrated)" in (tools["update_preview_scene"].description or "")
    job_id = structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, "preview": True})
    )["job_id"]
    sandbox.control.advance_clock(3600)
    edited = structured(
        await client.call_tool(
            "update_preview_scene", {"job_id": job_id, "scene": 1, "text": "Warm rolls at dawn."}
        )
    )
    assert "its voice-over will read the new text" in edited["next_step"]


async def test_spending_tools_say_a_render_cannot_be_cancelled(client: Client) -> None:
    tools = {t.name: t.description or "" for t in (await client.list_tools()).tools}
    for name in (*CREATE_TOOLS, "render_preview", "create_video_highlights"):
        assert "(no cancel)" in tools[name], name
    for name in CREATE_TOOLS:
        assert "preview=true" in tools[name], name
    assert "cannot be cancelled" in INSTRUCTIONS and "preview=true" in INSTRUCTIONS


async def test_durations_follow_the_voice_its_speed_and_the_script(
    client: Client, sandbox: Any
) -> None:
    longer = SCRIPT + " Croissants on Sundays, rye on Mondays, and sourdough all week long."
    asks = [
        {"script": SCRIPT, "voice": "Brian"},
        {"script": SCRIPT, "voice": "Emma"},
        {"script": SCRIPT, "voice": "Martin"},
        {"script": SCRIPT, "voice": "Brian", "options": {"extras": {"voice_speed": 150}}},
        {"script": longer, "voice": "Brian"},
    ]
    jobs = [
        structured(await client.call_tool("create_video_from_text", args))["job_id"]
        for args in asks
    ]
    sandbox.control.advance_clock(3600)
    seconds = []
    for job_id in jobs:
        view = structured(await client.call_tool("check_job", {"job_id": job_id}))
        seconds.append(view["details"]["duration_seconds"])
    brian, emma, martin, faster, more = seconds
    assert len({brian, emma, martin}) == 3, seconds
    assert faster < brian < more
