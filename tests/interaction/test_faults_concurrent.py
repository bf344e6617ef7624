"""Thirty concurrent videos through an MCP client while the sandbox answers 20 % of requests
with 5xx (before and after doing the work), drops connections and rate-limits the key: every
video gets exactly one job, none is rendered twice, and every job is in the history."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from pictory_mcp.api._retry import RetryPolicy
from pictory_mcp.api.submit import SubmitPolicy
from pictory_mcp.server.app import build_server
from tests._helpers import make_settings, structured, text_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

VIDEOS = 30
RENDER = "/v2/video/storyboard/render"
# Small waits so the test is quick; enough attempts that a run of faults cannot exhaust them.
FAST = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.05)


def script(n: int) -> str:
    return f"Story {n} follows the river down to the sea. The town wakes as the tide turns."


def video_name(n: int) -> str:
    """The server names a video after the first eight words of its script."""
    return " ".join(script(n).split()[:8])


# Enough submission attempts that a run of faults cannot exhaust them.
MORE_SUBMITS = SubmitPolicy(max_submits=10)


async def test_thirty_concurrent_videos_under_faults_each_get_exactly_one_job(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(
        error_rate=0.2, error_phase="mixed", drop_rate=0.05, rate_limit=8, seed=11
    )
    # The server's own budget (10/s) is above the key's limit (8/s), so 429s really happen.
    settings = make_settings(sandbox.api_base_url, tmp_path, rate_per_second=10)
    answers: dict[int, dict[str, Any]] = {}
    async with Client(build_server(settings, retry=FAST, submit_policy=MORE_SUBMITS)) as client:

        async def create(n: int) -> None:
            result = await client.call_tool("create_video_from_text", {"script": script(n)})
            answers[n] = structured(result)

        with anyio.fail_after(240):
            async with anyio.create_task_group() as group:
                for n in range(VIDEOS):
                    group.start_soon(create, n)
        ids = {n: answer["job_id"] for n, answer in answers.items()}
        assert len(ids) == VIDEOS and len(set(ids.values())) == VIDEOS

        # Exactly one sandbox job per video, and it is the one the agent was given.
        jobs = {j["job_id"] for j in sandbox.control.jobs()}
        assert jobs == set(ids.values())
        log = sandbox.control.requests(method="POST")
        names = {r["job_id"]: r["body"]["videoName"] for r in log if r["job_id"] in jobs}
        assert Counter(names.values()) == Counter(video_name(n) for n in range(VIDEOS))
        assert all(names[ids[n]] == video_name(n) for n in range(VIDEOS))

        # Accounting, exact whatever the random faults were: a render POST that failed after
        # Pictory acted was adopted (never resent); one that failed before was resent; a 429
        # was retried by the client. So POSTs = videos + "before" failures + 429s.
        renders = [r for r in log if r["path"].endswith(RENDER)]
        faults = Counter(str(r["fault"]) for r in renders)
        after = sum(n for f, n in faults.items() if f.endswith("_after"))
        before = sum(n for f, n in faults.items() if f.endswith("_before"))
        adopted = [n for n, a in answers.items() if (a.get("details") or {}).get("adopted")]
        assert len(adopted) == after
        assert len(renders) == VIDEOS + before + faults["rate_limit"]
        everything = Counter(str(r["fault"]) for r in sandbox.control.requests())
        assert after + before > 0 and everything["rate_limit"] > 0

        # Every job is in the history, and polling (still under faults) reaches the end.
        sandbox.control.advance_clock(3600)

        async def finish(n: int) -> None:
            uri = f"pictory://jobs/{ids[n]}"
            record = json.loads((await client.read_resource(uri)).contents[0].text)  # type: ignore[union-attr]
            assert record["job_id"] == ids[n]
            result = await client.call_tool("check_job", {"job_id": ids[n]})
            assert structured(result)["status"] == "completed", text_of(result)

        with anyio.fail_after(240):
            async with anyio.create_task_group() as group:
                for n in range(VIDEOS):
                    group.start_soon(finish, n)
