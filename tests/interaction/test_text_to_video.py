"""create_video_from_text, check_job and render_preview through mcp.Client against the sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client

from tests._helpers import posts, structured, text_of

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year. Panels now pay for themselves faster."


async def finish(client: Client, sandbox: Any, job_id: str) -> dict[str, Any]:
    """Advance the sandbox clock past any render and poll once."""
    sandbox.control.advance_clock(3600)
    return structured(await client.call_tool("check_job", {"job_id": job_id}))


async def test_a_script_becomes_one_render_request_with_the_chosen_options(
    client: Client, sandbox: Any
) -> None:
    view = structured(
        await client.call_tool(
            "create_video_from_text",
            {"script": SCRIPT, "voice": "Brian", "aspect_ratio": "9:16", "music_volume": 0.12},
        )
    )
    assert view["status"] == "in-progress"
    assert "wait_for_job(job_id)" in view["next_step"]
    assert view["details"]["submitted"]["voice"] == "Brian"
    sent = posts(sandbox, "/v2/video/storyboard/render")
    assert len(sent) == 1
    body = sent[0]["body"]
    assert body["aspectRatio"] == "9:16"
    assert body["voiceOver"] == {"enabled": True, "aiVoices": [{"speaker": "Brian"}]}
    assert body["backgroundMusic"] == {"enabled": True, "autoMusic": True, "volume": 0.12}
    assert body["scenes"] == [{"story": SCRIPT, "createSceneOnEndOfSentence": True}]
    assert sent[0]["job_id"] == view["job_id"]


async def test_music_is_never_sent_without_a_volume(client: Client, sandbox: Any) -> None:
    structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, "music_volume": 0})
    )
    bodies = [r["body"]["backgroundMusic"] for r in posts(sandbox, "/v2/video/storyboard/render")]
    assert bodies[0]["volume"] == 0.1
    assert bodies[1] == {"enabled": False}


async def test_paragraph_split_makes_one_scene_per_paragraph(client: Client, sandbox: Any) -> None:
    script = "First part.\nStill first.\n\nSecond part.\n\n\nThird part."
    structured(
        await client.call_tool("create_video_from_text", {"script": script, "scenes": "paragraph"})
    )
    scenes = posts(sandbox, "/v2/video/storyboard/render")[0]["body"]["scenes"]
    assert [s["story"] for s in scenes] == [
        "First part.\nStill first.",
        "Second part.",
        "Third part.",
    ]


async def test_a_render_job_completes_with_result_urls_and_is_recorded(
    client: Client, sandbox: Any
) -> None:
    job_id = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))[
        "job_id"
    ]
    first = structured(await client.call_tool("check_job", {"job_id": job_id}))
    assert first["status"] == "in-progress"
    await finish(client, sandbox, job_id)
    done = structured(await client.call_tool("check_job", {"job_id": job_id, "detail": True}))
    assert done["status"] == "completed"
    assert done["video_url"].endswith(".mp4")
    details = done["details"]
    assert details["share_url"] and details["thumbnail_url"]
    assert set(details["subtitles"]) == {"srt", "vtt", "txt"}
    assert details["duration_seconds"] > 0
    history = json.loads((await client.read_resource(f"pictory://jobs/{job_id}")).contents[0].text)  # type: ignore[union-attr]
    assert history["status"] == "completed"
    assert history["result"]["video_url"] == done["video_url"]
    assert history["payload"]["scenes"][0]["story"] == SCRIPT


async def test_a_preview_can_be_checked_and_then_rendered(client: Client, sandbox: Any) -> None:
    preview = structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, "preview": True})
    )
    assert len(posts(sandbox, "/v2/video/storyboard")) == 1
    early = await client.call_tool("render_preview", {"job_id": preview["job_id"]})
    assert early.is_error and "not completed" in text_of(early)
    done = await finish(client, sandbox, preview["job_id"])
    assert done["status"] == "completed" and done["details"]["preview_url"]
    assert "render_preview" in done["next_step"]
    render = structured(await client.call_tool("render_preview", {"job_id": preview["job_id"]}))
    assert render["job_id"] != preview["job_id"] and render["kind"] == "render"
    puts = [r for r in posts(sandbox, "/v2/video/render/") if r["method"] == "PUT"]
    assert [r["path"].rsplit("/", 1)[-1] for r in puts] == [preview["job_id"]]
    final = await finish(client, sandbox, render["job_id"])
    assert final["status"] == "completed" and final["video_url"]


@pytest.mark.parametrize(
    ("voice", "expected"),
    [
        ("brain", "Unknown voice 'brain'. Did you mean 'Brian'?"),
        ("Briann", "Did you mean 'Brian'"),
        ("Zzyzx", "Unknown voice 'Zzyzx'."),
    ],
)
async def test_a_wrong_voice_is_refused_before_anything_is_submitted(
    client: Client, sandbox: Any, voice: str, expected: str
) -> None:
    result = await client.call_tool("create_video_from_text", {"script": SCRIPT, "voice": voice})
    assert result.is_error
    assert expected in text_of(result)
    assert "list_voices" in text_of(result)
    assert posts(sandbox, "/v2/video/storyboard") == []


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"script": SCRIPT, "aspect_ratio": "21:9"}, "aspect_ratio"),
        ({"script": "   \n "}, "script is empty"),
        ({"script": "word " * 4000}, "script"),
        ({"script": SCRIPT, "music_volume": 3}, "music_volume"),
        ({"script": SCRIPT, "aspect": "9:16"}, "Did you mean 'aspect_ratio'?"),
        ({"script": SCRIPT, "brand": "No Such Brand"}, "Unknown brand 'No Such Brand'"),
        ({"script": SCRIPT, "subtitle_style": "Nope"}, "Unknown subtitle_style 'Nope'"),
    ],
)
async def test_bad_arguments_get_a_clear_error_and_submit_nothing(
    client: Client, sandbox: Any, arguments: dict[str, Any], expected: str
) -> None:
    result = await client.call_tool("create_video_from_text", arguments)
    assert result.is_error
    message = text_of(result)
    assert expected in message
    assert "Traceback" not in message and "pydantic.dev" not in message
    assert posts(sandbox, "/v2/video/storyboard") == []


async def test_brand_and_subtitle_style_are_applied_by_name(client: Client, sandbox: Any) -> None:
    view = structured(
        await client.call_tool(
            "create_video_from_text",
            {"script": SCRIPT, "brand": "corporate blue", "subtitle_style": "Headliner"},
        )
    )
    body = posts(sandbox, "/v2/video/storyboard/render")[0]["body"]
    assert body["brandId"] and body["subtitleStyleId"]
    assert view["details"]["submitted"]["brand"] == "Corporate Blue"
    assert view["details"]["submitted"]["subtitle_style"] == "Headliner"


async def test_an_unknown_job_id_says_where_to_find_job_ids(client: Client) -> None:
    result = await client.call_tool("check_job", {"job_id": "00000000-0000-0000-0000-000000000000"})
    assert result.is_error
    assert "No job '00000000-0000-0000-0000-000000000000'" in text_of(result)
    assert "pictory://jobs" in text_of(result)


async def test_a_job_id_that_is_not_an_id_is_refused(client: Client) -> None:
    result = await client.call_tool("check_job", {"job_id": "../../etc/passwd"})
    assert result.is_error and "job_id" in text_of(result)


async def test_a_failed_job_reports_the_error_and_a_fix(client: Client, sandbox: Any) -> None:
    sandbox.control.fail_next_jobs(
        1, error_code="SCENE_BACKGROUND_VISUAL_NOT_FOUND", error_message="No visual found"
    )
    job_id = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))[
        "job_id"
    ]
    failed = await finish(client, sandbox, job_id)
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "SCENE_BACKGROUND_VISUAL_NOT_FOUND"
    assert "broader" in failed["error"]["fix"]
    record = json.loads((await client.read_resource(f"pictory://jobs/{job_id}")).contents[0].text)  # type: ignore[union-attr]
    assert (
        record["status"] == "failed"
        and record["error"]["code"] == "SCENE_BACKGROUND_VISUAL_NOT_FOUND"
    )


async def test_an_invalid_voice_failure_names_the_closest_voices(
    client: Client, sandbox: Any
) -> None:
    sandbox.control.fail_next_jobs(
        1,
        error_code="TEXT_TO_VIDEO_FAILED",
        error_message="The AI voice speaker [Briann] is invalid. Please use a valid voice.",
    )
    job_id = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))[
        "job_id"
    ]
    failed = await finish(client, sandbox, job_id)
    assert failed["error"]["code"] == "TEXT_TO_VIDEO_FAILED"
    assert "Brian" in failed["error"]["fix"] and "list_voices" in failed["error"]["fix"]


async def test_a_400_from_pictory_is_surfaced_with_its_fields(client: Client, sandbox: Any) -> None:
    sandbox.control.faults(
        reject_next=1, reject_field="scenes[0].story", reject_errors="Unsupported characters"
    )
    result = await client.call_tool("create_video_from_text", {"script": SCRIPT})
    assert result.is_error
    message = text_of(result)
    assert "400" in message and "INVALID_REQUEST_BODY" in message
    assert "script: Unsupported characters" in message
    listing = json.loads((await client.read_resource("pictory://jobs")).contents[0].text)  # type: ignore[union-attr]
    assert listing["jobs"] == []
