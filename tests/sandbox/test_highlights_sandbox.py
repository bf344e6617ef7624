"""Sandbox growth for the highlights workflow: one-shot 400s on the transcription routes, and
repurpose scenes rendered from the transcript they carry."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox.conftest import poll, start_job

MEDIA = "https://media.example.com/talks/keynote.mp4"


def test_an_armed_rejection_refuses_the_next_transcription_with_its_field(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.faults(reject_next=1, reject_field="fileUrl", reject_errors="Not reachable")
    refused = http.post("/v2/transcription", json={"fileUrl": MEDIA})
    assert refused.status_code == 400
    assert refused.json()["fields"] == [{"name": "fileUrl", "errors": "Not reachable"}]
    start_job(http, "/v2/transcription", {"fileUrl": MEDIA})


def test_an_armed_rejection_refuses_highlights_of_a_job(sandbox: Any, http: httpx.Client) -> None:
    job_id = start_job(http, "/v2/transcription", {"fileUrl": MEDIA})
    sandbox.control.advance_clock(60)
    sandbox.control.faults(
        reject_next=1, reject_field="highlight_duration", reject_errors="Too long"
    )
    path = f"/v2/transcription/{job_id}/highlights"
    refused = http.post(path, json={"highlight_duration": 30})
    assert refused.status_code == 400
    assert refused.json()["fields"] == [{"name": "highlight_duration", "errors": "Too long"}]
    start_job(http, path, {"highlight_duration": 30})


def test_a_video_scene_with_a_transcript_renders_just_those_words(
    sandbox: Any, http: httpx.Client
) -> None:
    transcript = [
        {"uid": "s1", "words": [{"word": "Solar", "start_time": 3.0, "end_time": 3.4},
                                {"word": "wins.", "start_time": 3.4, "end_time": 3.9}]},
    ]  # fmt: skip
    scene = {"videoUrl": MEDIA, "audioLanguage": "en-US", "transcript": transcript}
    with_words = start_job(
        http, "/v2/video/storyboard/render", {"videoName": "cut", "scenes": [scene]}
    )
    plain = start_job(
        http,
        "/v2/video/storyboard/render",
        {"videoName": "full", "scenes": [{"videoUrl": MEDIA, "audioLanguage": "en-US"}]},
    )
    sandbox.control.advance_clock(3600)
    cut, full = poll(http, with_words)["data"], poll(http, plain)["data"]
    assert cut["status"] == full["status"] == "completed"
    assert cut["videoDuration"] < full["videoDuration"]
    text = httpx.get(cut["txtFile"], timeout=10).text
    assert text.strip() == "Solar wins."
