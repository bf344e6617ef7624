"""Every call answers within its bound whatever Pictory does: a Pictory slower than the HTTP
timeout, and unreadable answers to polls, through mcp.Client against the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import structured, text_of

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year. Panels now pay for themselves faster."


@pytest.fixture
async def bounded(settings: Settings) -> AsyncIterator[Client]:
    # One-second requests and a short call bound; the default retry policy (4 attempts with
    # 2-8 s backoff) would take far longer than either if the bound were only checked
    # between polls.
    quick = settings.model_copy(update={"http_timeout": 1.0, "call_timeout": 5.0})
    async with Client(build_server(quick)) as connected:
        yield connected


async def start_video(client: Client) -> str:
    view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    return str(view["job_id"])


async def test_wait_for_job_answers_at_its_bound_when_pictory_is_slower_than_the_timeout(
    bounded: Client, sandbox: Any
) -> None:
    job_id = await start_video(bounded)
    sandbox.control.configure(latency_ms=3000)
    with anyio.fail_after(9):  # 3 s asked + the grace; unbounded retries take 20 s or more
        result = await bounded.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 3})
    view = structured(result)
    assert view["job_id"] == job_id
    assert view["status"] == "in-progress"
    assert "wait_for_job" in view["next_step"]


async def test_check_job_answers_with_the_recorded_state_when_pictory_does_not_answer_in_time(
    bounded: Client, sandbox: Any
) -> None:
    job_id = await start_video(bounded)
    sandbox.control.configure(latency_ms=3000)
    with anyio.fail_after(12):  # the 5 s call bound; unbounded retries take 20 s or more
        result = await bounded.call_tool("check_job", {"job_id": job_id})
    view = structured(result)
    assert view["job_id"] == job_id
    assert view["status"] == "in-progress"
    assert "did not answer in time" in view["next_step"]


async def test_a_read_tool_that_reaches_its_bound_says_so_plainly(
    bounded: Client, sandbox: Any
) -> None:
    sandbox.control.configure(latency_ms=3000)
    with anyio.fail_after(12):
        result = await bounded.call_tool("list_voices", {})
    assert result.is_error
    text = text_of(result)
    assert "did not finish within 5 s" in text
    assert "Try again" in text


async def test_an_unreadable_answer_to_a_poll_is_retried_like_a_server_error(
    client: Client, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.control.configure(render_seconds=0)
    job_id = await start_video(client)
    sandbox.control.faults(malformed_next=1)
    with anyio.fail_after(20):
        result = await client.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 10})
    view = structured(result)
    assert view["status"] == "completed"
    gets = [
        r
        for r in sandbox.control.requests(method="GET")
        if r["path"].endswith(f"/v1/jobs/{job_id}")
    ]
    assert [r["fault"] for r in gets][:2] == ["malformed", None]


async def test_a_highlights_request_past_its_bound_answers_with_its_workflow_which_goes_on(
    bounded: Client, sandbox: Any
) -> None:
    sandbox.control.configure(latency_ms=2500)
    args = {"media_url": "https://media.example.com/talks/keynote.mp4", "duration_seconds": 30}
    with anyio.fail_after(9):
        view = structured(await bounded.call_tool("create_video_highlights", args))
    assert view["job_id"].startswith("wf-")
    assert view["status"] == "in-progress"
    sandbox.control.configure(latency_ms=0)
    with anyio.fail_after(30):
        while not (jobs := sandbox.control.jobs()):  # noqa: ASYNC110 (a blocking look-up)
            await anyio.sleep(0.1)
    (job,) = jobs  # the transcription was sent once, after the answer
    with anyio.fail_after(20):
        while True:
            again = structured(
                await bounded.call_tool("check_job", {"job_id": view["job_id"], "detail": True})
            )
            steps = again["details"].get("steps") or []
            if steps and steps[0].get("job_id"):
                break
            await anyio.sleep(0.2)
    assert steps[0]["job_id"] == job["job_id"]
