"""wait_for_job through mcp.Client against the sandbox: progress notifications, the time bound,
the polling interval (from the sandbox request log) and cancellation."""

from __future__ import annotations

import itertools
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
INTERVAL = 0.2  # below the 1 s settings minimum on purpose: model_copy skips validation


def fast(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update={"poll_interval": INTERVAL, **changes})


@pytest.fixture
async def waiter(settings: Settings, mode: str) -> AsyncIterator[Client]:
    async with Client(build_server(fast(settings)), mode=mode) as connected:
        yield connected


async def start_video(client: Client) -> str:
    view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    return str(view["job_id"])


def job_gets(sandbox: Any, job_id: str) -> list[dict[str, Any]]:
    return [
        r
        for r in sandbox.control.requests(method="GET")
        if r["path"].endswith(f"/v1/jobs/{job_id}")
    ]


async def test_waiting_to_completion_reports_rising_progress_with_pictorys_message(
    waiter: Client, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=3)
    job_id = await start_video(waiter)
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    with anyio.fail_after(20):
        result = await waiter.call_tool(
            "wait_for_job", {"job_id": job_id, "timeout_seconds": 15}, progress_callback=on_progress
        )
    view = structured(result)
    assert view["status"] == "completed"
    assert view["video_url"].endswith("video.mp4")
    assert "download_video" in view["next_step"]
    progresses = [p for p, _, _ in seen]
    assert progresses == sorted(progresses)
    assert progresses[-1] == 100
    assert all(total == 100 for _, total, _ in seen)
    messages = [m or "" for _, _, m in seen]
    assert any("Generating video" in m for m in messages)
    assert messages[-1] == "completed"


async def test_a_stuck_job_returns_at_the_bound_saying_to_wait_again(
    waiter: Client, sandbox: Any
) -> None:
    sandbox.control.stick_next_jobs(1)
    job_id = await start_video(waiter)
    with anyio.fail_after(10):
        view = structured(
            await waiter.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 1})
        )
    assert view["status"] == "in-progress"
    assert "Call wait_for_job again with the same job_id" in view["next_step"]
    assert len(job_gets(sandbox, job_id)) >= 2


async def test_the_configured_ceiling_caps_a_longer_timeout(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.stick_next_jobs(1)
    server = build_server(fast(settings, wait_ceiling=1.0))
    async with Client(server) as client:
        job_id = await start_video(client)
        with anyio.fail_after(10):
            view = structured(
                await client.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 600})
            )
    assert view["status"] == "in-progress"
    assert "after waiting 1 s" in view["next_step"]


async def test_polls_are_never_closer_than_the_poll_interval(waiter: Client, sandbox: Any) -> None:
    sandbox.control.configure(render_seconds=2)
    job_id = await start_video(waiter)
    with anyio.fail_after(20):
        first = structured(
            await waiter.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 1})
        )
        # A second call right away must still keep the interval after the first call's last poll.
        last = structured(
            await waiter.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 15})
        )
    assert first["status"] == "in-progress"
    assert last["status"] == "completed"
    times = [r["time"] for r in job_gets(sandbox, job_id)]
    assert len(times) >= 4
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Arrival times carry a little network jitter; a faster poller would show gaps near 0.
    assert min(gaps) >= INTERVAL - 0.05, gaps


async def test_cancelling_the_call_stops_the_polling(waiter: Client, sandbox: Any) -> None:
    sandbox.control.stick_next_jobs(1)
    job_id = await start_video(waiter)
    with anyio.move_on_after(1.0) as scope:
        await waiter.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 30})
    assert scope.cancelled_caught
    # Let the cancellation reach the server, then watch a window of several intervals.
    await anyio.sleep(5 * INTERVAL)
    before = len(job_gets(sandbox, job_id))
    await anyio.sleep(5 * INTERVAL)
    assert len(job_gets(sandbox, job_id)) == before
    # The server is still healthy after the cancelled call.
    assert structured(await waiter.call_tool("check_job", {"job_id": job_id}))["job_id"] == job_id


async def test_waiting_on_a_highlights_workflow_reports_its_steps(
    waiter: Client, sandbox: Any
) -> None:
    args = {"media_url": "https://cdn.example.com/talks/keynote.mp4", "duration_seconds": 45}
    started = structured(await waiter.call_tool("create_video_highlights", args))
    messages: list[str] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        messages.append(message or "")

    with anyio.fail_after(30):
        view: dict[str, Any] = {"status": "in-progress"}
        while view["status"] == "in-progress":
            view = structured(
                await waiter.call_tool(
                    "wait_for_job",
                    {"job_id": started["job_id"], "timeout_seconds": 10},
                    progress_callback=on_progress,
                )
            )
    assert view["status"] == "completed", view
    assert view["video_url"]
    # Early steps may pass between two polls on a busy machine; the render step is the longest.
    steps = [int(m.split("step ")[1][0]) for m in messages if "step " in m]
    assert steps == sorted(steps)
    assert any("step 3/3 (render)" in m for m in messages)


async def test_an_unknown_job_is_a_clear_tool_error(waiter: Client) -> None:
    result = await waiter.call_tool("wait_for_job", {"job_id": "no-such-job", "timeout_seconds": 2})
    assert result.is_error
    assert "No job 'no-such-job'" in text_of(result)


async def test_a_failed_job_ends_the_wait_with_its_fix(waiter: Client, sandbox: Any) -> None:
    sandbox.control.fail_next_jobs(1)
    job_id = await start_video(waiter)
    with anyio.fail_after(20):
        view = structured(
            await waiter.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 15})
        )
    assert view["status"] == "failed"
    assert view["error"]["fix"] == view["next_step"]
