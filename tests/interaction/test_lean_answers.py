"""A finished job's answer carries what the agent needs next (status, progress, video_url,
next_step); the rest is one check_job(job_id, detail=true) away."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from tests._helpers import structured

pytestmark = pytest.mark.anyio

MEDIA = "https://media.example.com/talks/keynote-2024.mp4"
HEAVY = {"thumbnail_url", "subtitles", "project_id", "credits_used", "steps", "submitted"}


async def test_a_finished_render_answers_without_thumbnail_and_subtitle_urls(
    client: Client, sandbox: Any
) -> None:
    job = structured(await client.call_tool("create_video_from_text", {"script": "Hello there."}))
    sandbox.control.advance_clock(3600)
    for tool in ("check_job", "wait_for_job"):
        done = structured(await client.call_tool(tool, {"job_id": job["job_id"]}))
        assert done["status"] == "completed" and done["progress"] == 100
        assert done["video_url"].endswith(".mp4")
        assert not HEAVY & set(done.get("details", {})), tool
        assert "check_job(job_id, detail=true) adds thumbnail_url, subtitles" in done["next_step"]
    full = structured(
        await client.call_tool("check_job", {"job_id": job["job_id"], "detail": True})
    )
    assert full["details"]["thumbnail_url"] and set(full["details"]["subtitles"]) == {
        "srt",
        "vtt",
        "txt",
    }
    assert "detail=true" not in full["next_step"]


async def test_a_highlights_answer_leaves_its_steps_and_request_to_detail(
    client: Client, sandbox: Any
) -> None:
    workflow = structured(await client.call_tool("create_video_highlights", {"media_url": MEDIA}))
    running = structured(await client.call_tool("check_job", {"job_id": workflow["job_id"]}))
    assert running["details"]["step"] == "transcription"
    assert not HEAVY & set(running["details"])
    with anyio.fail_after(20):
        while True:
            sandbox.control.advance_clock(3600)
            done = structured(await client.call_tool("check_job", {"job_id": workflow["job_id"]}))
            if done["status"] == "completed":
                break
            await anyio.sleep(0.05)
    assert done["video_url"] and not HEAVY & set(done.get("details", {}))
    full = structured(
        await client.call_tool("check_job", {"job_id": workflow["job_id"], "detail": True})
    )
    assert len(full["details"]["steps"]) == 3 and full["details"]["submitted"]
