"""Fixtures for the sandbox's own tests: plain httpx clients on loopback, one per key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pictory_mcp.sandbox.rules import validate_storyboard

OTHER_KEY = "pictai_another_account_key"


def client_for(base_url: str, key: str | None) -> httpx.Client:
    headers = {"Authorization": key} if key is not None else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=10)


@pytest.fixture
def http(sandbox: Any, api_key: str) -> Iterator[httpx.Client]:
    """An authenticated client for the sandbox API (`/pictoryapis` is the base)."""
    with client_for(sandbox.api_base_url, api_key) as client:
        yield client


@pytest.fixture
def other_http(sandbox: Any) -> Iterator[httpx.Client]:
    """A client authenticated as a second account."""
    with client_for(sandbox.api_base_url, OTHER_KEY) as client:
        yield client


@pytest.fixture
def root(sandbox: Any) -> Iterator[httpx.Client]:
    """An unauthenticated client on the sandbox root (assets, pages, control API)."""
    with httpx.Client(base_url=sandbox.root_url, timeout=10) as client:
        yield client


def start_job(client: httpx.Client, path: str, body: object) -> str:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["success"] is True
    job_id = payload["data"]["jobId"]
    assert isinstance(job_id, str)
    return job_id


def poll(client: httpx.Client, job_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- helpers shared by the rule tests (test_rules_sandbox_*.py) -------------------------------


def names(scene: dict[str, Any], **top: Any) -> list[str]:
    """The `fields[].name`s the rules report for one scene (plus top-level fields)."""
    body = {"videoName": "demo", "scenes": [scene], **top}
    return [field["name"] for field in validate_storyboard(body)]


def case(bad: dict[str, Any], good: dict[str, Any], field: str, id_: str) -> Any:
    return pytest.param(bad, good, field, id=id_)


def check(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    assert names(bad) == [field]
    assert names(good) == []


URL = "https://cdn.example.com/clip.mp4"
