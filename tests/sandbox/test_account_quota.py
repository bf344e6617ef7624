"""GET /v1/quota over raw HTTP: video minutes that follow the key's own completed renders, an
account set up through the control API, and a quota that cannot be read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import poll, start_job

STORY = " ".join(["word"] * 150)  # Brian reads 150 words in one minute
RENDER = {
    "videoName": "quota",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
    "scenes": [{"story": STORY}],
}


def minutes(http: httpx.Client) -> dict[str, Any]:
    response = http.get("/v1/quota")
    assert response.status_code == 200, response.text
    video: dict[str, Any] = response.json()["videoMinutes"]
    return video


def test_a_completed_render_adds_its_duration_to_the_keys_used_minutes(
    sandbox: Any, http: httpx.Client, other_http: httpx.Client
) -> None:
    assert minutes(http) == {"used": 98, "limit": 14400}
    job_id = start_job(http, "/v2/video/storyboard/render", RENDER)
    start_job(http, "/v2/video/storyboard", RENDER)  # a preview renders nothing
    assert minutes(http)["used"] == 98  # still rendering
    sandbox.control.advance_clock(600)
    duration = poll(http, job_id)["data"]["videoDuration"]
    assert duration == pytest.approx(60, abs=1)
    assert minutes(http)["used"] == pytest.approx(98 + duration / 60, abs=0.01)
    assert minutes(other_http) == {"used": 98, "limit": 14400}  # another account


def test_the_account_is_set_through_the_control_api(sandbox: Any, http: httpx.Client) -> None:
    sandbox.control.configure(video_minutes_limit=10, video_minutes_used=9.5)
    assert minutes(http) == {"used": 9.5, "limit": 10}
    body = http.get("/v1/quota").json()
    assert set(body) == {
        "videoMinutes",
        "transcriptionMinutes",
        "elevenLabsVoiceOverMinutes",
        "aiCredits",
    }


@pytest.mark.parametrize("status", [403, 500, 503])
def test_a_quota_that_cannot_be_read_answers_the_configured_status(
    sandbox: Any, http: httpx.Client, status: int
) -> None:
    sandbox.control.configure(quota_status=status)
    response = http.get("/v1/quota")
    assert response.status_code == status
    assert isinstance(response.json()["message"], str)
    assert http.get("/v1/jobs").status_code == 200  # nothing else is affected


@pytest.mark.parametrize(
    ("field", "value"),
    [("quota_status", 200), ("quota_status", True), ("video_minutes_limit", -1)],
)
def test_a_bad_quota_setting_is_refused(root: httpx.Client, field: str, value: Any) -> None:
    response = root.patch("/__sandbox/config", json={field: value})
    assert response.status_code == 400
    assert field in response.json()["message"]
