"""Answer sizes over the recipes the prompts walk through: text → video, preview → render,
highlights, download. Every tool answer is measured as the client receives it (the compact
JSON of the call result: text content and structured content); the figures are the median
over all answers and over the answers about a finished job.

    .venv/bin/python bench/answer_sizes.py      # against the built-in sandbox, in-process
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import SandboxControl
from pictory_mcp.sandbox.runner import SandboxThread
from pictory_mcp.server.app import build_server

SCRIPT = "Rivers carry the story from the hills to the sea. Towns grew where they met."
MEDIA = "https://media.example.com/talks/keynote-2024.mp4"
FROZEN = 1e-6  # jobs move only when the clock is advanced


class Recorder:
    """Calls tools and keeps the size of every answer, and of each answer about a finished job."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.sizes: list[int] = []
        self.finished: list[int] = []

    async def call(self, tool: str, **arguments: Any) -> dict[str, Any]:
        result = await self.client.call_tool(tool, arguments)
        sent = result.model_dump(mode="json", by_alias=True, exclude_none=True)
        size = len(json.dumps(sent, separators=(",", ":"), ensure_ascii=False).encode())
        self.sizes.append(size)
        answer = result.structured_content or {}
        if tool in ("check_job", "wait_for_job") and answer.get("status") == "completed":
            self.finished.append(size)
        return answer


async def recipes(rec: Recorder, control: SandboxControl) -> None:
    # text → video
    job = (await rec.call("create_video_from_text", script=SCRIPT))["job_id"]
    await rec.call("check_job", job_id=job)
    control.advance_clock(3600)
    await rec.call("wait_for_job", job_id=job)
    await rec.call("check_job", job_id=job)
    # preview → render
    preview = (await rec.call("create_video_from_text", script=SCRIPT, preview=True))["job_id"]
    control.advance_clock(3600)
    await rec.call("wait_for_job", job_id=preview)
    await rec.call("get_preview", job_id=preview)
    render = (await rec.call("render_preview", job_id=preview))["job_id"]
    control.advance_clock(3600)
    await rec.call("wait_for_job", job_id=render)
    # highlights
    workflow = (await rec.call("create_video_highlights", media_url=MEDIA))["job_id"]
    for _ in range(20):
        control.advance_clock(3600)
        if (await rec.call("check_job", job_id=workflow)).get("status") != "in-progress":
            break
    # download
    await rec.call("download_video", job_id=job)


async def measure() -> dict[str, Any]:
    with SandboxThread() as sandbox, SandboxControl(sandbox.root_url) as control:
        control.reset()
        control.configure(clock_speed=FROZEN)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings.from_env(
                {},
                api_key=SANDBOX_API_KEY,
                base_url=sandbox.api_base_url,
                db_path=Path(tmp) / "jobs.sqlite3",
                output_dir=Path(tmp) / "out",
                poll_interval=1.0,
            )
            async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
                rec = Recorder(client)
                await recipes(rec, control)
    return {
        "answers": len(rec.sizes),
        "median_bytes": statistics.median(rec.sizes),
        "finished_job_answers": len(rec.finished),
        "finished_median_bytes": statistics.median(rec.finished),
    }


def main() -> int:
    print(json.dumps(anyio.run(measure), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
