"""Video endpoints: storyboard preview and render, render from preview / renderParams /
project, element updates, validation answers and request-caused job failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import poll, start_job

PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "vendor-payloads"
VENDOR_FILES = sorted(PAYLOADS.glob("*.json"))

STORY = "Every year, plastic enters our oceans. Small changes at home make a difference."
BASIC = {
    "videoName": "ocean_plastic",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian", "speed": 100}]},
    "backgroundMusic": {"enabled": True, "autoMusic": True, "volume": 0.1},
    "scenes": [{"story": STORY, "createSceneOnEndOfSentence": True}],
}


def finish(sandbox: Any) -> None:
    sandbox.control.advance_clock(600)


def test_the_five_vendor_payloads_are_present() -> None:
    assert len(VENDOR_FILES) == 5


@pytest.mark.parametrize("path", VENDOR_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("endpoint", ["/v2/video/storyboard", "/v2/video/storyboard/render"])
def test_every_vendor_payload_is_accepted(http: httpx.Client, path: Path, endpoint: str) -> None:
    response = http.post(endpoint, json=json.loads(path.read_text()))
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["success", "data"]
    assert body["success"] is True
    assert list(body["data"]) == ["jobId"]


def test_a_render_job_shows_progress_then_the_documented_result(
    sandbox: Any, http: httpx.Client
) -> None:
    job_id = start_job(http, "/v2/video/storyboard/render", BASIC)
    assert poll(http, job_id)["data"] == {"status": "in-progress"}
    sandbox.control.advance_clock(0.5)  # render_seconds is 1 in the session sandbox
    running = poll(http, job_id)["data"]
    assert running["status"] == "in-progress"
    assert 0 < running["renderProgress"] < 100
    assert running["renderProgressMessage"] == "Generating video"
    assert running["renderState"] == "RUNNING"
    finish(sandbox)
    body = poll(http, job_id)
    assert body["job_id"] == job_id and body["success"] is True
    data = body["data"]
    assert data["status"] == "completed" and data["progress"] == 100
    for key in ("videoURL", "videoShareURL", "shareVideoURL", "audioURL", "thumbnail"):
        assert data[key].startswith(sandbox.root_url)
    for key in ("srtFile", "vttFile", "txtFile"):
        assert data[key].startswith(sandbox.root_url)
    assert data["videoShareURL"] == data["shareVideoURL"]
    # 13 words at 2.5 words/s and speed 100: 5.2 s.
    assert data["videoDuration"] == pytest.approx(5.2, abs=0.1)
    assert data["aiCreditsUsed"] == 0
    assert "projectId" not in data


def test_duration_follows_speed_minimum_duration_and_end_pause(
    sandbox: Any, http: httpx.Client
) -> None:
    body = {
        "videoName": "timing",
        "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian", "speed": 200}]},
        "scenes": [
            {"story": "one two three four five", "endPauseDuration": 1},
            {"background": {"color": "#000000"}, "minimumDuration": 4},
        ],
    }
    job_id = start_job(http, "/v2/video/storyboard/render", body)
    finish(sandbox)
    # 5 words / 2.5 * 100/200 = 1 s, + 1 s pause, + a 4 s visual-only scene.
    assert poll(http, job_id)["data"]["videoDuration"] == pytest.approx(6.0)


def test_a_completed_preview_has_render_params_storyboard_and_preview_url(
    sandbox: Any, http: httpx.Client
) -> None:
    job_id = start_job(http, "/v2/video/storyboard", BASIC)
    assert poll(http, job_id)["data"] == {"status": "in-progress"}
    finish(sandbox)
    data = poll(http, job_id)["data"]
    assert data["status"] == "completed"
    assert data["preview"].startswith(sandbox.root_url)
    assert data["storyboard"]["videoName"] == "ocean_plastic"
    params = data["renderParams"]
    assert params["output"]["format"] == "mp4"
    assert (params["output"]["width"], params["output"]["height"]) == (1920, 1080)
    ids = [e["id"] for e in params["elements"]]
    assert ids[:2] == ["voiceOver", "bgMusic"]
    assert {"backgroundElement_1", "SceneText_1", "backgroundElement_2", "SceneText_2"} <= set(ids)
    texts = [e["text"] for e in params["elements"] if e["elementType"] == "SceneText"]
    assert texts == STORY.replace(". ", ".\n").splitlines()
    assert "projectId" not in data


def test_render_from_a_completed_preview_and_its_refusals(
    sandbox: Any, http: httpx.Client, other_http: httpx.Client
) -> None:
    preview = start_job(http, "/v2/video/storyboard", BASIC)
    early = http.put(f"/v2/video/render/{preview}", json={})
    assert early.status_code == 400
    finish(sandbox)
    assert other_http.put(f"/v2/video/render/{preview}").status_code == 404
    unknown = http.put("/v2/video/render/no-such-job")
    assert unknown.status_code == 404
    assert unknown.json()["data"]["error_code"] == "5000"
    render = start_job_put(http, f"/v2/video/render/{preview}", {"webhook": "https://e.x/h"})
    finish(sandbox)
    data = poll(http, render)["data"]
    assert data["status"] == "completed"
    assert data["videoDuration"] == pytest.approx(5.2, abs=0.1)
    not_a_preview = http.put(f"/v2/video/render/{render}")
    assert not_a_preview.status_code == 400


def start_job_put(client: httpx.Client, path: str, body: object) -> str:
    response = client.put(path, json=body)
    assert response.status_code == 200, response.text
    job_id: str = response.json()["data"]["jobId"]
    return job_id


def test_updating_elements_changes_the_preview_and_the_render(
    sandbox: Any, http: httpx.Client
) -> None:
    preview = start_job(http, "/v2/video/storyboard", BASIC)
    change = [{"id": "SceneText_1", "elementType": "SceneText", "type": "text", "text": "Changed."}]
    assert http.put(f"/v2/video/storyboard/{preview}/elements", json=change).status_code == 400
    finish(sandbox)
    response = http.put(f"/v2/video/storyboard/{preview}/elements", json=change)
    assert response.status_code == 204
    assert response.content == b""
    elements = poll(http, preview)["data"]["renderParams"]["elements"]
    assert next(e for e in elements if e["id"] == "SceneText_1")["text"] == "Changed."
    render = start_job_put(http, f"/v2/video/render/{preview}", {})
    finish(sandbox)
    subtitles = httpx.get(poll(http, render)["data"]["txtFile"]).text
    assert subtitles.startswith("Changed.")


def test_render_video_from_edited_render_params(sandbox: Any, http: httpx.Client) -> None:
    preview = start_job(http, "/v2/video/storyboard", BASIC)
    finish(sandbox)
    params = poll(http, preview)["data"]["renderParams"]
    params["output"]["title"] = "edited"
    job_id = start_job(http, "/v2/video/render", params)
    finish(sandbox)
    data = poll(http, job_id)["data"]
    assert data["status"] == "completed"
    assert data["videoDuration"] == pytest.approx(5.2, abs=0.1)


def test_save_project_yields_a_project_that_can_be_rendered(
    sandbox: Any, http: httpx.Client, other_http: httpx.Client
) -> None:
    preview = start_job(http, "/v2/video/storyboard", {**BASIC, "saveProject": True})
    finish(sandbox)
    project_id = poll(http, preview)["data"]["projectId"]
    assert other_http.post(f"/v2/projects/{project_id}/render").status_code == 404
    assert http.post("/v2/projects/no-such-project/render").status_code == 404
    response = http.post(f"/v2/projects/{project_id}/render")
    assert response.status_code == 200
    render = response.json()["data"]["jobId"]
    finish(sandbox)
    assert poll(http, render)["data"]["projectId"] == project_id


def test_a_validation_failure_is_a_400_with_fields(http: httpx.Client) -> None:
    response = http.post("/v2/video/storyboard/render", json={"videoName": "x", "scenes": []})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_REQUEST_BODY"
    assert isinstance(body["message"], str)
    assert [f["name"] for f in body["fields"]] == ["scenes"]


def test_an_unknown_speaker_fails_the_job_asynchronously(sandbox: Any, http: httpx.Client) -> None:
    body = {**BASIC, "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Timm"}]}}
    job_id = start_job(http, "/v2/video/storyboard/render", body)
    finish(sandbox)
    result = poll(http, job_id)
    assert result["success"] is False
    assert result["data"]["status"] == "failed"
    assert result["data"]["error_code"] == "TEXT_TO_VIDEO_FAILED"
    assert result["data"]["error_message"].startswith("The AI voice speaker [Timm] is invalid")


def test_a_speaker_name_matches_case_insensitively(sandbox: Any, http: httpx.Client) -> None:
    body = {**BASIC, "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "brian"}]}}
    job_id = start_job(http, "/v2/video/storyboard/render", body)
    finish(sandbox)
    assert poll(http, job_id)["success"] is True


def test_sync_voice_mode_refuses_an_unknown_speaker_at_submission(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.configure(invalid_voice_mode="sync")
    body = {
        "videoName": "x",
        "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "brian_typo"}]},
        "scenes": [{"story": "Hi"}],
    }
    response = http.post("/v2/video/storyboard/render", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_REQUEST_BODY",
        "message": "Invalid voice",
        "fields": [
            {
                "name": "voiceOver.aiVoices[0].speaker",
                "errors": "The AI voice speaker [brian_typo] is invalid",
            }
        ],
    }
    assert sandbox.control.jobs() == []


@pytest.mark.parametrize(
    "url",
    ["https://unreachable.example/post", "https://blog.invalid/how-to"],
    ids=["listed", "tld"],
)
def test_an_unreachable_blog_fails_the_job(sandbox: Any, http: httpx.Client, url: str) -> None:
    body = {"videoName": "blog", "scenes": [{"blogUrl": url}]}
    job_id = start_job(http, "/v2/video/storyboard/render", body)
    finish(sandbox)
    data = poll(http, job_id)["data"]
    assert data["status"] == "failed"
    assert data["error_code"] == "TEXT_TO_VIDEO_FAILED"
    assert url in data["error_message"]


def test_a_reachable_blog_renders_with_generated_text(sandbox: Any, http: httpx.Client) -> None:
    body = {"videoName": "blog", "scenes": [{"blogUrl": "https://example.com/blog/ai"}]}
    job_id = start_job(http, "/v2/video/storyboard/render", body)
    finish(sandbox)
    data = poll(http, job_id)["data"]
    assert data["status"] == "completed"
    assert data["videoDuration"] > 0
