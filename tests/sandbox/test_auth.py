"""Authentication and key scoping of the sandbox API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import client_for, poll, start_job

TRANSCRIBE = {"fileUrl": "https://media.example/talk.mp4", "language": "en-US"}


@pytest.mark.parametrize(
    "header",
    [None, "", "pictai_", "sk_live_123", "Bearer pictai_sandbox_demo_key", "pictai_has space"],
    ids=["missing", "empty", "prefix-only", "foreign-format", "bearer-prefixed", "whitespace"],
)
def test_a_missing_or_malformed_key_gets_401_unauthorized(sandbox: Any, header: str | None) -> None:
    with client_for(sandbox.api_base_url, header) as client:
        response = client.get("/v1/quota")
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}


def test_any_pictai_key_is_accepted_by_default(sandbox: Any) -> None:
    with client_for(sandbox.api_base_url, "pictai_whatever_123") as client:
        response = client.get("/v1/jobs")
    assert response.status_code == 200


def test_configured_valid_keys_refuse_other_pictai_keys(sandbox: Any) -> None:
    sandbox.control.configure(valid_keys=["pictai_only_this_one"])
    with client_for(sandbox.api_base_url, "pictai_only_this_one") as good:
        assert good.get("/v1/jobs").status_code == 200
    with client_for(sandbox.api_base_url, "pictai_some_other_key") as bad:
        assert bad.get("/v1/jobs").status_code == 401


def test_a_job_is_invisible_to_another_key(http: httpx.Client, other_http: httpx.Client) -> None:
    job_id = start_job(http, "/v2/transcription", TRANSCRIBE)
    response = other_http.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 404
    assert response.json() == {
        "job_id": job_id,
        "success": False,
        "data": {"error_code": "5000", "error_message": "JOB_NOT_FOUND"},
    }
    assert other_http.get("/v1/jobs").json()["items"] == []
    assert poll(http, job_id)["job_id"] == job_id


def test_the_request_log_holds_key_fingerprints_never_keys(
    sandbox: Any, http: httpx.Client, api_key: str
) -> None:
    start_job(http, "/v2/transcription", TRANSCRIBE)
    with client_for(sandbox.api_base_url, f"Bearer {api_key}") as bearer:
        bearer.get("/v1/jobs")
    raw = httpx.get(f"{sandbox.root_url}/__sandbox/requests").text
    assert api_key not in raw
    entries = sandbox.control.requests()
    assert len(entries) == 2
    assert all(str(e["key"]).startswith("sha256:") and len(e["key"]) == 19 for e in entries)
    assert entries[0]["key"] != entries[1]["key"]
