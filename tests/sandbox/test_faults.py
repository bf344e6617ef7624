"""Injected faults: rate limits, 5xx before/after processing, dropped connections, malformed
JSON, latency, plus the start-up rates being deterministic for a seed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import start_job

TRANSCRIBE = {"fileUrl": "https://media.example/talk.mp4"}


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(
    sandbox: Any, http: httpx.Client, other_http: httpx.Client
) -> None:
    sandbox.control.configure(rate_limit=0.01)  # one token, refilled every 100 s
    assert http.get("/v1/jobs").status_code == 200
    limited = http.get("/v1/jobs")
    assert limited.status_code == 429
    assert limited.json() == {"message": "Too Many Requests"}
    assert 1 <= int(limited.headers["Retry-After"]) <= 100
    assert other_http.get("/v1/jobs").status_code == 200  # the limit is per key
    sandbox.control.advance_clock(100)
    assert http.get("/v1/jobs").status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503])
def test_an_error_before_processing_creates_no_job(
    sandbox: Any, http: httpx.Client, status: int
) -> None:
    sandbox.control.faults(error_next=1, error_status=status, error_phase="before")
    response = http.post("/v2/transcription", json=TRANSCRIBE)
    assert response.status_code == status
    assert "message" in response.json()
    assert sandbox.control.jobs() == []
    assert sandbox.control.requests()[-1]["fault"] == f"error_{status}_before"


def test_an_error_after_processing_loses_the_answer_but_keeps_the_job(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.faults(error_next=1, error_status=503, error_phase="after")
    response = http.post("/v2/transcription", json=TRANSCRIBE)
    assert response.status_code == 503
    jobs = sandbox.control.jobs()
    assert len(jobs) == 1
    assert sandbox.control.requests()[-1]["job_id"] == jobs[0]["job_id"]
    assert http.get("/v1/jobs").json()["items"][0]["data"]["jobId"] == jobs[0]["job_id"]


@pytest.mark.parametrize("phase", ["before", "after"])
def test_a_dropped_connection_gets_no_http_answer_at_all(
    sandbox: Any, http: httpx.Client, phase: str
) -> None:
    sandbox.control.faults(drop_next=1, error_phase=phase)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http.post("/v2/transcription", json=TRANSCRIBE)
    assert len(sandbox.control.jobs()) == (1 if phase == "after" else 0)
    entry = sandbox.control.requests()[-1]
    assert entry["fault"] == f"drop_{phase}"
    assert entry["status"] is None
    assert http.get("/v1/jobs").status_code == 200  # the next request is served normally


def test_a_malformed_answer_is_cut_json_with_the_original_status(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.faults(malformed_next=1)
    response = http.post("/v2/transcription", json=TRANSCRIBE)
    assert response.status_code == 200
    assert response.text.startswith('{"success"')
    with pytest.raises(ValueError, match=r"\w"):
        response.json()
    assert len(sandbox.control.jobs()) == 1


def test_one_shot_faults_are_used_up_in_order(sandbox: Any, http: httpx.Client) -> None:
    pending = sandbox.control.faults(error_next=2, error_status=500)
    assert pending["error_next"] == 2
    statuses = [http.get("/v1/jobs").status_code for _ in range(3)]
    assert statuses == [500, 500, 200]


def test_added_latency_is_recorded_in_the_config(sandbox: Any, http: httpx.Client) -> None:
    config = sandbox.control.configure(latency_ms=5)
    assert config["latency_ms"] == 5
    assert http.get("/v1/jobs").status_code == 200


def test_error_rate_faults_repeat_exactly_for_the_same_seed(
    sandbox: Any, http: httpx.Client
) -> None:
    def run() -> list[int]:
        sandbox.control.reset()
        sandbox.control.configure(error_rate=0.5, seed=7)
        return [http.get("/v1/jobs").status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert set(first) - {200} <= {500, 502, 503}
    assert 200 in first
    assert len(set(first)) > 1


def test_job_fail_rate_one_fails_every_job(sandbox: Any, http: httpx.Client) -> None:
    sandbox.control.configure(job_fail_rate=1.0)
    job_id = start_job(http, "/v2/transcription", TRANSCRIBE)
    sandbox.control.advance_clock(60)
    body = http.get(f"/v1/jobs/{job_id}").json()
    assert body["success"] is False
    assert body["data"]["error_code"] == "TEXT_TO_VIDEO_FAILED"


def test_bad_fault_or_config_values_are_refused(sandbox: Any) -> None:
    with pytest.raises(ValueError, match="400"):
        sandbox.control.faults(error_status=418)
    with pytest.raises(ValueError, match="400"):
        sandbox.control.configure(error_rate=2)
    with pytest.raises(ValueError, match="400"):
        sandbox.control.configure(no_such_option=1)
    assert sandbox.control.config()["error_rate"] == 0.0


def test_reset_restores_the_start_up_config(sandbox: Any) -> None:
    sandbox.control.configure(error_rate=0.3)
    sandbox.control.reset()
    assert sandbox.control.config()["error_rate"] == 0.0


def test_an_armed_rejection_refuses_the_next_storyboard_with_a_field(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.faults(reject_next=1, reject_field="scenes[0].story", reject_errors="Too spicy")
    body = {"videoName": "x", "scenes": [{"story": "Hello."}]}
    refused = http.post("/v2/video/storyboard/render", json=body)
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "INVALID_REQUEST_BODY",
        "message": "Request body validation failed",
        "fields": [{"name": "scenes[0].story", "errors": "Too spicy"}],
    }
    assert sandbox.control.jobs() == []
    assert http.post("/v2/video/storyboard/render", json=body).status_code == 200
