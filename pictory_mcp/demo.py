"""`pictory-mcp demo`: the main job end to end, as a newcomer would see it.

Starts this server over stdio with --sandbox as a subprocess, connects as an MCP client,
lists the tools, makes a video from a short script, follows it to completion and prints
the result and the job history. Uses a throw-away job database.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from typing import Any

SCRIPT = (
    "Plastic in the ocean is a problem we can solve. "
    "Every minute, a truckload of plastic enters the sea. "
    "Refill stations, better recycling and cleaner rivers cut that flow. "
    "Small choices, multiplied by millions, change the tide."
)


def _say(text: str) -> None:
    print(text, flush=True)


async def run_demo(*, timeout: float = 45.0, poll_every: float = 1.0) -> dict[str, Any]:
    """Run the demo; return the final job view. Raises on any failure."""
    import anyio
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    with tempfile.TemporaryDirectory(prefix="pictory-mcp-demo-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
        env.update(
            {
                "PICTORY_MCP_DB": os.path.join(tmp, "jobs.sqlite3"),
                "PICTORY_MCP_LOG_LEVEL": "WARNING",
            }
        )
        params = StdioServerParameters(
            command=sys.executable, args=["-m", "pictory_mcp", "--sandbox"], env=env
        )
        started = time.monotonic()
        _say("Starting pictory-mcp (stdio, sandbox mode) ...")
        async with Client(params) as client:
            tools = await client.list_tools()
            _say(f"Tools: {', '.join(t.name for t in tools.tools)}")
            voices = await client.call_tool("list_voices", {"query": "British", "limit": 3})
            names = [v["name"] for v in (voices.structured_content or {}).get("voices", [])]
            voice = names[0] if names else None
            _say(f"British voices: {', '.join(names) or 'none'}; using {voice}")
            args: dict[str, Any] = {
                "script": SCRIPT,
                "aspect_ratio": "9:16",
                "video_name": "Ocean plastic demo",
            }
            if voice:
                args["voice"] = voice
            created = await client.call_tool("create_video_from_text", args)
            if created.is_error:
                raise RuntimeError(created.content[0].text if created.content else "create failed")  # type: ignore[union-attr]
            job_id = (created.structured_content or {})["job_id"]
            _say(f"Submitted job {job_id}; waiting for the render ...")
            view: dict[str, Any] = {}
            with anyio.fail_after(timeout):
                while True:
                    checked = await client.call_tool("check_job", {"job_id": job_id})
                    view = checked.structured_content or {}
                    if view.get("status") != "in-progress":
                        break
                    progress = view.get("progress")
                    bar = f"{progress:5.1f}%" if isinstance(progress, int | float) else "  queued"
                    message = (view.get("details") or {}).get("message") or ""
                    _say(f"  {bar}  {message}".rstrip())
                    await anyio.sleep(poll_every)
            _say(f"Status: {view.get('status')}")
            shown = {"video_url": view.get("video_url"), **(view.get("details") or {})}
            for key in ("video_url", "share_url", "thumbnail_url", "duration_seconds"):
                if shown.get(key) is not None:
                    _say(f"  {key}: {shown[key]}")
            if view.get("error"):
                _say(f"  error: {json.dumps(view['error'])}")
            history = await client.read_resource("pictory://jobs")
            text = getattr(history.contents[0], "text", "{}")
            jobs = json.loads(text).get("jobs", [])
            _say("Job history (pictory://jobs):")
            for job in jobs:
                _say(f"  {job['job_id']}  {job['kind']:<8} {job['status']}")
        _say(f"Demo finished in {time.monotonic() - started:.1f} s.")
        return view


def main(argv: list[str] | None = None) -> int:
    import anyio

    try:
        view = anyio.run(run_demo)
    except Exception as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    return 0 if view.get("status") == "completed" else 1
