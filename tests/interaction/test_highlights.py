"""create_video_highlights as one server-run workflow, followed with check_job, via mcp.Client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

MEDIA = "https://media.example.com/talks/keynote-2024.mp4"
# Jobs only move when a test advances the sandbox clock (clock_speed must stay > 0).
FROZEN = 1e-6


@pytest.fixture(autouse=True)
def _frozen_clock(sandbox: Any) -> None:
    sandbox.control.configure(clock_speed=FROZEN)


async def check(client: Client, job_id: str) -> dict[str, Any]:
    return structured(await client.call_tool("check_job", {"job_id": job_id}))


async def poll_until(
    client: Client,
    sandbox: Any,
    job_id: str,
    done: Callable[[dict[str, Any]], bool],
    advance: float = 3600,
) -> dict[str, Any]:
    """Move the sandbox clock by `advance`, then check_job, until `done(view)`."""
    with anyio.fail_after(20):
        while True:
            if advance:
                sandbox.control.advance_clock(advance)
            view = await check(client, job_id)
            if done(view):
                return view
            await anyio.sleep(0.05)


async def start(client: Client, **args: Any) -> dict[str, Any]:
    arguments = {"media_url": MEDIA, "duration_seconds": 45, **args}
    return structured(await client.call_tool("create_video_highlights", arguments))


async def test_the_whole_chain_ends_in_one_rendered_highlight_video(
    client: Client, sandbox: Any
) -> None:
    view = await start(client, language="en-GB", aspect_ratio="9:16", video_name="Keynote cut")
    assert view["job_id"].startswith("wf-")
    assert view["status"] == "in-progress"
    assert view["details"]["step"] == "transcription"
    await poll_until(client, sandbox, view["job_id"], lambda v: v["status"] == "completed")
    done = structured(
        await client.call_tool("check_job", {"job_id": view["job_id"], "detail": True})
    )

    assert done["video_url"].endswith("/video.mp4")
    assert done["progress"] == 100
    assert [s["step"] for s in done["details"]["steps"]] == [
        "transcription",
        "highlights",
        "render",
    ]
    assert {s["status"] for s in done["details"]["steps"]} == {"completed"}
    transcription = posts(sandbox, "/v2/transcription")
    assert len(transcription) == 1
    assert transcription[0]["body"] == {"fileUrl": MEDIA, "mediaType": "video", "language": "en-GB"}
    first_job = transcription[0]["job_id"]
    highlights = posts(sandbox, f"/v2/transcription/{first_job}/highlights")
    assert len(highlights) == 1
    assert highlights[0]["body"] == {"highlight_duration": 45, "language": "en"}
    renders = posts(sandbox, "/v2/video/storyboard/render")
    assert len(renders) == 1
    body = renders[0]["body"]
    assert body["videoName"] == "Keynote cut"
    assert body["aspectRatio"] == "9:16"
    [scene] = body["scenes"]
    assert scene["videoUrl"] == MEDIA
    assert scene["audioLanguage"] == "en-GB"
    words = [w for sentence in scene["transcript"] for w in sentence["words"]]
    assert words and all(w["highlight"] is True for w in words)
    assert words[-1]["end_time"] - words[0]["start_time"] <= 45 + 1
    assert [s["job_id"] for s in done["details"]["steps"]] == [
        first_job,
        highlights[0]["job_id"],
        renders[0]["job_id"],
    ]


async def test_check_job_mid_chain_names_the_step_it_is_in(client: Client, sandbox: Any) -> None:
    view = await start(client)
    first = await check(client, view["job_id"])
    assert first["status"] == "in-progress"
    assert first["details"]["step"] == "transcription"
    assert "1/3" in first["next_step"]
    sandbox.control.advance_clock(1)
    middle = await poll_until(
        client,
        sandbox,
        view["job_id"],
        lambda v: v["details"]["step"] != "transcription",
        advance=0,
    )
    assert middle["details"]["step"] == "highlights"
    assert middle["status"] == "in-progress"
    assert 30 <= middle["progress"] < 50
    assert "2/3" in middle["next_step"]
    assert len(posts(sandbox, "/highlights")) == 1
    assert posts(sandbox, "/v2/video/storyboard/render") == []


async def test_an_audio_url_is_transcribed_as_audio_and_rendered_as_an_audio_scene(
    client: Client, sandbox: Any
) -> None:
    url = "https://media.example.com/podcast/episode-12.mp3"
    view = await start(client, media_url=url)
    await poll_until(client, sandbox, view["job_id"], lambda v: v["status"] == "completed")
    assert posts(sandbox, "/v2/transcription")[0]["body"]["mediaType"] == "audio"
    [scene] = posts(sandbox, "/v2/video/storyboard/render")[0]["body"]["scenes"]
    assert scene["audioUrl"] == url
    assert "videoUrl" not in scene


async def test_a_failed_step_fails_the_workflow_naming_the_step(
    client: Client, sandbox: Any
) -> None:
    view = await start(client)
    sandbox.control.fail_next_jobs(1, error_code="TRANSCRIPTION_FAILED", error_message="No audio")
    sandbox.control.advance_clock(1)
    failed = await poll_until(
        client, sandbox, view["job_id"], lambda v: v["status"] == "failed", advance=1
    )
    assert failed["details"]["step"] == "highlights"
    assert failed["error"]["code"] == "TRANSCRIPTION_FAILED"
    assert failed["error"]["message"].startswith("The highlights step failed: No audio")
    assert failed["error"]["fix"] == failed["next_step"]
    assert posts(sandbox, "/v2/video/storyboard/render") == []
    sandbox.control.advance_clock(3600)
    again = await check(client, view["job_id"])
    assert again["status"] == "failed"
    assert len(posts(sandbox, "/highlights")) == 1


async def test_a_rejected_transcription_is_refused_with_the_reason(
    client: Client, sandbox: Any
) -> None:
    sandbox.control.faults(reject_next=1, reject_field="fileUrl", reject_errors="Not reachable")
    result = await client.call_tool(
        "create_video_highlights", {"media_url": MEDIA, "duration_seconds": 30}
    )
    assert result.is_error
    assert "transcription step" in text_of(result)
    assert "fileUrl" in text_of(result)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"media_url": "ftp://media.example.com/a.mp4"}, "https://"),
        ({"media_url": "http://media.example.com/a.mp4"}, "HTTPS"),
        ({"media_url": "not a url"}, "https://"),
        ({"media_url": "https://x.example/" + "a" * 2000}, "media_url"),
        ({"media_url": MEDIA, "duration_seconds": 5}, "duration_seconds"),
        ({"media_url": MEDIA, "duration_seconds": 601}, "duration_seconds"),
        ({"media_url": MEDIA, "language": "english"}, "language"),
    ],
)
async def test_bad_arguments_are_refused_before_anything_is_sent(
    client: Client, sandbox: Any, arguments: dict[str, Any], expected: str
) -> None:
    result = await client.call_tool("create_video_highlights", arguments)
    assert result.is_error
    assert expected in text_of(result)
    assert posts(sandbox, "/v2/transcription") == []


async def test_an_unknown_workflow_id_is_not_found(client: Client, sandbox: Any) -> None:
    result = await client.call_tool("check_job", {"job_id": "wf-0123456789abcdef"})
    assert result.is_error
    assert "No workflow 'wf-0123456789abcdef'" in text_of(result)
    assert "404" not in text_of(result)  # Pictory was never asked
