"""Highlights workflow submissions under faults: a step Pictory certainly did not accept is not
lost or failed, the agent keeps one workflow id, and the step is sent again later, once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from pictory_mcp.api._retry import RetryPolicy
from pictory_mcp.server.app import build_server
from tests._helpers import make_settings, posts, structured

pytestmark = pytest.mark.anyio

MEDIA = "https://media.example.com/talks/keynote-2024.mp4"


async def test_a_first_step_that_could_not_be_sent_keeps_its_workflow_and_is_sent_later(
    sandbox: Any, tmp_path: Path
) -> None:
    settings = make_settings(sandbox.api_base_url, tmp_path)
    quick = RetryPolicy(max_attempts=2, base_delay=0)
    async with Client(build_server(settings, retry=quick)) as client:
        # Every request fails before Pictory does anything: no job can exist.
        sandbox.control.configure(error_rate=1.0, error_phase="before")
        result = await client.call_tool(
            "create_video_highlights", {"media_url": MEDIA, "duration_seconds": 30}
        )
        view = structured(result)
        assert view["job_id"].startswith("wf-") and view["status"] == "in-progress"
        assert view["details"]["step"] == "transcription"
        assert sandbox.control.jobs() == []

        sandbox.control.configure(error_rate=0.0)
        with anyio.fail_after(20):
            while True:
                again = structured(
                    await client.call_tool("check_job", {"job_id": view["job_id"], "detail": True})
                )
                if again["details"].get("steps"):
                    break
                await anyio.sleep(0.05)
        assert again["details"]["steps"][0]["step"] == "transcription"
        assert len(sandbox.control.jobs()) == 1
        created = [r for r in posts(sandbox, "/v2/transcription") if r["job_id"]]
        assert len(created) == 1
