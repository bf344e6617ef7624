"""The job lifecycle on the sandbox clock, and the job listing."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox.conftest import poll, start_job

TRANSCRIBE = {"fileUrl": "https://media.example/talk.mp4", "mediaType": "video"}


def test_an_unknown_job_gets_the_documented_not_found_answer(http: httpx.Client) -> None:
    response = http.get("/v1/jobs/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["data"] == {"error_code": "5000", "error_message": "JOB_NOT_FOUND"}


def test_a_transcription_goes_from_in_progress_to_completed_with_a_transcript(
    sandbox: Any, http: httpx.Client
) -> None:
    job_id = start_job(http, "/v2/transcription", TRANSCRIBE)
    assert poll(http, job_id) == {
        "job_id": job_id,
        "success": True,
        "data": {"status": "in-progress"},
    }
    sandbox.control.advance_clock(60)
    data = poll(http, job_id)["data"]
    assert data["status"] == "completed"
    word = data["transcript"][0]["words"][0]
    assert set(word) == {
        "uid", "word", "start_time", "end_time", "sentence_index",
        "is_pause", "pause_size", "state", "speakerId",
    }  # fmt: skip
    assert data["txt"].startswith(word["word"])
    assert data["srt"].startswith("1\n00:00:00,")
    assert data["vtt"].startswith("WEBVTT\n\n")
    assert data["mediaInfo"]["duration"] > 0


def test_the_same_url_always_gives_the_same_transcript(sandbox: Any, http: httpx.Client) -> None:
    first = start_job(http, "/v2/transcription", TRANSCRIBE)
    second = start_job(http, "/v2/transcription", TRANSCRIBE)
    sandbox.control.advance_clock(60)
    assert poll(http, first)["data"]["txt"] == poll(http, second)["data"]["txt"]


def test_highlights_from_a_transcription_fit_the_requested_duration(
    sandbox: Any, http: httpx.Client
) -> None:
    source = start_job(http, "/v2/transcription", TRANSCRIBE)
    early = http.post(f"/v2/transcription/{source}/highlights", json={"highlight_duration": 8})
    assert early.status_code == 400
    sandbox.control.advance_clock(60)
    job_id = start_job(http, f"/v2/transcription/{source}/highlights", {"highlight_duration": 8})
    sandbox.control.advance_clock(60)
    data = poll(http, job_id)["data"]
    assert data["status"] == "completed"
    chosen = [w for s in data["transcript"] for w in s["words"] if w["highlight"]]
    assert chosen
    spoken = sum(w["end_time"] - w["start_time"] for w in chosen)
    assert spoken <= 8
    assert all(isinstance(w["highlight"], bool) for s in data["transcript"] for w in s["words"])


def test_highlights_from_a_supplied_transcript_are_marked(sandbox: Any, http: httpx.Client) -> None:
    transcript = [
        {"uid": "s1", "speakerId": 1, "words": [
            {"uid": "w1", "word": "Hello", "start_time": 0.0, "end_time": 0.5, "speakerId": 1,
             "sentence_index": 0},
            {"uid": "w2", "word": "world.", "start_time": 0.5, "end_time": 1.0, "speakerId": 1,
             "sentence_index": 0},
        ]},
    ]  # fmt: skip
    job_id = start_job(
        http, "/v2/transcription/highlights", {"transcript": transcript, "highlight_duration": 30}
    )
    sandbox.control.advance_clock(60)
    data = poll(http, job_id)["data"]
    assert [w["highlight"] for w in data["transcript"][0]["words"]] == [True, True]
    assert data["txt"] == "Hello world."


def test_highlights_for_an_unknown_job_get_job_not_found(http: httpx.Client) -> None:
    response = http.post("/v2/transcription/nope/highlights", json={"highlight_duration": 30})
    assert response.status_code == 404
    assert response.json()["data"]["error_message"] == "JOB_NOT_FOUND"


def test_jobs_are_listed_newest_first_across_pages(http: httpx.Client) -> None:
    created = [start_job(http, "/v2/transcription", TRANSCRIBE) for _ in range(23)]
    first = http.get("/v1/jobs").json()
    assert [i["data"]["jobId"] for i in first["items"]] == created[::-1][:20]
    assert first["items"][0] == {
        "success": True,
        "data": {"status": "in-progress", "jobId": created[-1]},
    }
    second = http.get("/v1/jobs", params={"nextPageKey": first["nextPageKey"]}).json()
    assert [i["data"]["jobId"] for i in second["items"]] == created[::-1][20:]
    assert second["nextPageKey"] is None


def test_a_garbled_page_key_is_a_400(http: httpx.Client) -> None:
    response = http.get("/v1/jobs", params={"nextPageKey": "%%%not-base64"})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_REQUEST"


def test_a_failed_job_reports_success_false_with_its_error(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.fail_next_jobs(1, error_code="TEXT_TO_VIDEO_FAILED", error_message="boom")
    job_id = start_job(http, "/v2/transcription", TRANSCRIBE)
    sandbox.control.advance_clock(60)
    assert poll(http, job_id) == {
        "job_id": job_id,
        "success": False,
        "data": {
            "status": "failed",
            "error_code": "TEXT_TO_VIDEO_FAILED",
            "error_message": "boom",
        },
    }


def test_a_stuck_job_stays_in_progress_however_long_we_wait(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.stick_next_jobs(1)
    stuck = start_job(http, "/v2/transcription", TRANSCRIBE)
    normal = start_job(http, "/v2/transcription", TRANSCRIBE)
    sandbox.control.advance_clock(10_000)
    assert poll(http, stuck)["data"] == {"status": "in-progress"}
    assert poll(http, normal)["data"]["status"] == "completed"


def test_invalid_json_is_a_400_invalid_request_body(http: httpx.Client) -> None:
    response = http.post(
        "/v2/transcription", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_REQUEST_BODY"


def test_a_transcription_without_file_url_is_rejected_with_fields(http: httpx.Client) -> None:
    response = http.post("/v2/transcription", json={"language": "en-US"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_REQUEST_BODY"
    assert any(f["name"] == "fileUrl" for f in body["fields"])
