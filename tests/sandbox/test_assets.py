"""The URLs of a finished render resolve to real files that can be downloaded and checked."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox.conftest import poll, start_job

BODY = {
    "videoName": "assets",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
    "scenes": [
        {"story": "First sentence here. Second one follows.", "createSceneOnEndOfSentence": True}
    ],
}


def rendered(sandbox: Any, http: httpx.Client) -> dict[str, Any]:
    job_id = start_job(http, "/v2/video/storyboard/render", BODY)
    sandbox.control.advance_clock(600)
    data: dict[str, Any] = poll(http, job_id)["data"]
    assert data["status"] == "completed"
    return data


def test_the_video_url_serves_a_real_mp4(sandbox: Any, http: httpx.Client) -> None:
    response = httpx.get(rendered(sandbox, http)["videoURL"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    assert response.content[4:8] == b"ftyp"
    assert b"avc1" in response.content  # H.264


def test_thumbnail_and_audio_are_real_files(sandbox: Any, http: httpx.Client) -> None:
    data = rendered(sandbox, http)
    thumbnail = httpx.get(data["thumbnail"])
    assert thumbnail.content[:3] == b"\xff\xd8\xff"  # JPEG
    audio = httpx.get(data["audioURL"])
    assert audio.headers["content-type"] == "audio/mpeg"
    assert audio.content[:3] == b"ID3" or audio.content[0] == 0xFF


def test_subtitle_files_are_written_from_the_job_text(sandbox: Any, http: httpx.Client) -> None:
    data = rendered(sandbox, http)
    srt = httpx.get(data["srtFile"]).text
    assert srt.startswith("1\n00:00:00,000 --> 00:00:")
    assert "First sentence here.\n\n2\n" in srt
    vtt = httpx.get(data["vttFile"]).text
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> ")
    assert httpx.get(data["txtFile"]).text == "First sentence here. Second one follows."


def test_share_and_preview_pages_embed_the_video(sandbox: Any, http: httpx.Client) -> None:
    data = rendered(sandbox, http)
    page = httpx.get(data["videoShareURL"])
    assert page.status_code == 200
    assert "video.mp4" in page.text
    preview = start_job(http, "/v2/video/storyboard", BODY)
    sandbox.control.advance_clock(600)
    assert httpx.get(poll(http, preview)["data"]["preview"]).status_code == 200


def test_assets_of_unfinished_or_unknown_jobs_are_not_found(
    sandbox: Any, http: httpx.Client, root: httpx.Client
) -> None:
    job_id = start_job(http, "/v2/video/storyboard/render", BODY)
    assert root.get(f"/assets/{job_id}/video.mp4").status_code == 404
    assert root.get("/assets/no-such-job/video.mp4").status_code == 404
    sandbox.control.advance_clock(600)
    assert root.get(f"/assets/{job_id}/video.mp4").status_code == 200
    assert root.get(f"/assets/{job_id}/other.bin").status_code == 404
