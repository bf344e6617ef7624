"""The highlights workflow survives a server restart: a new server on the same job history
resumes the chain without sending any finished step again."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.jobs import JobStore
from pictory_mcp.server.app import build_server

from .conftest import posts, structured

pytestmark = pytest.mark.anyio

MEDIA = "https://media.example.com/talks/all-hands.mov"


@pytest.fixture(autouse=True)
def _frozen_clock(sandbox: Any) -> None:
    sandbox.control.configure(clock_speed=1e-6)


async def check(client: Client, job_id: str) -> dict[str, Any]:
    return structured(await client.call_tool("check_job", {"job_id": job_id}))


async def test_a_new_server_finishes_the_chain_without_resubmitting_finished_steps(
    settings: Settings, sandbox: Any
) -> None:
    server = build_server(settings)
    async with Client(server) as first:
        running = server.shared_state.ref["state"]
        assert running.engine is not None
        view = structured(
            await first.call_tool(
                "create_video_highlights", {"media_url": MEDIA, "duration_seconds": 30}
            )
        )
        workflow_id = view["job_id"]
        sandbox.control.advance_clock(1)
        middle = await check(first, workflow_id)
        assert middle["details"]["step"] == "highlights"
    # The lifespan ended and took its engine with it.
    assert "state" not in server.shared_state.ref and running.engine is None

    sandbox.control.advance_clock(1)
    async with Client(build_server(settings)) as second:
        # No tool call: the new server's engine resumes the chain from the job history.
        with anyio.fail_after(20):
            while True:
                if posts(sandbox, "/v2/video/storyboard/render"):
                    break
                await anyio.sleep(0.05)
        with anyio.fail_after(20):
            while (done := await check(second, workflow_id))["status"] != "completed":
                sandbox.control.advance_clock(3600)
                await anyio.sleep(0.05)

    assert done["video_url"]
    assert len(posts(sandbox, "/v2/transcription")) == 1
    assert len(posts(sandbox, "/highlights")) == 1
    assert len(posts(sandbox, "/v2/video/storyboard/render")) == 1
    with JobStore(settings.db_path) as store:
        children = store.list_recent(parent_id=workflow_id)
        record = store.get(workflow_id)
    assert sorted(c.kind for c in children) == ["highlights", "render", "transcription"]
    assert {c.status for c in children} == {"completed"}
    assert record is not None and record.kind == "highlights"
    assert [s["job_id"] for s in record.steps] == [
        c.job_id for c in sorted(children, key=lambda c: c.created_at)
    ]


async def test_a_step_cut_off_mid_submission_fails_instead_of_being_sent_twice(
    settings: Settings, sandbox: Any
) -> None:
    # As if the process died between marking the render step and storing its job id.
    with JobStore(settings.db_path) as store:
        store.record_submission("wf-interrupted", "highlights", {"workflow": "highlights"}, {})
        store.update_steps(
            "wf-interrupted",
            [
                {"step": "transcription", "job_id": "t-1", "status": "completed"},
                {"step": "highlights", "job_id": "h-1", "status": "completed"},
                {"step": "render", "status": "submitting"},
            ],
        )
    async with Client(build_server(settings)) as client:
        view = await check(client, "wf-interrupted")
    assert view["status"] == "failed"
    assert view["details"]["step"] == "render"
    assert "unknown whether Pictory accepted it" in view["error"]["message"]
    assert "pictory://jobs" in view["next_step"]
    assert posts(sandbox, "/v2/video/storyboard/render") == []
