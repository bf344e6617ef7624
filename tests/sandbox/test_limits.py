"""Bounds: request body size (413) and the number of jobs kept per key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from tests.sandbox.conftest import start_job

TRANSCRIBE = {"fileUrl": "https://media.example/talk.mp4"}


def test_a_body_declared_too_large_gets_413(sandbox: Any, http: httpx.Client) -> None:
    sandbox.control.configure(max_body_bytes=1000)
    response = http.post("/v2/transcription", content=b"x" * 1001)
    assert response.status_code == 413
    assert response.json() == {"message": "Request Entity Too Large"}


def test_a_streamed_body_without_length_is_counted_and_refused(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.configure(max_body_bytes=1000)

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"y" * 200

    response = http.post("/v2/transcription", content=chunks())
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_a_body_within_the_limit_is_served(sandbox: Any, http: httpx.Client) -> None:
    sandbox.control.configure(max_body_bytes=1000)
    assert http.post("/v2/transcription", json=TRANSCRIBE).status_code == 200


def test_the_oldest_finished_job_is_evicted_when_a_key_is_full(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.control.configure(max_jobs_per_key=2)
    first = start_job(http, "/v2/transcription", TRANSCRIBE)
    second = start_job(http, "/v2/transcription", TRANSCRIBE)
    sandbox.control.advance_clock(60)
    third = start_job(http, "/v2/transcription", TRANSCRIBE)
    assert http.get(f"/v1/jobs/{first}").status_code == 404
    assert http.get(f"/v1/jobs/{second}").status_code == 200
    assert http.get(f"/v1/jobs/{third}").status_code == 200


def test_a_key_full_of_running_jobs_gets_429_until_one_finishes(
    sandbox: Any, http: httpx.Client, other_http: httpx.Client
) -> None:
    sandbox.control.configure(max_jobs_per_key=2)
    start_job(http, "/v2/transcription", TRANSCRIBE)
    start_job(http, "/v2/transcription", TRANSCRIBE)
    refused = http.post("/v2/transcription", json=TRANSCRIBE)
    assert refused.status_code == 429
    assert refused.json() == {"message": "Too Many Requests"}
    assert int(refused.headers["Retry-After"]) >= 1
    assert other_http.post("/v2/transcription", json=TRANSCRIBE).status_code == 200
    sandbox.control.advance_clock(60)
    assert http.post("/v2/transcription", json=TRANSCRIBE).status_code == 200


def test_unknown_paths_get_a_json_404(http: httpx.Client, root: httpx.Client) -> None:
    for client, path in ((http, "/v9/nothing"), (root, "/nothing/here")):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"message": "Not Found"}
