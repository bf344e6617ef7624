"""Concurrent polls of one job share one Pictory request; errors and cancellation stay per call."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from tests._helpers import structured, text_of

pytestmark = pytest.mark.anyio

CALLS = 8


def job_gets(sandbox: Any, job_id: str) -> list[dict[str, Any]]:
    return [
        r
        for r in sandbox.control.requests()
        if r["method"] == "GET" and r["path"].endswith(f"/v1/jobs/{job_id}")
    ]


async def new_job(client: Client) -> str:
    created = structured(await client.call_tool("create_video_from_text", {"script": "Rain."}))
    return str(created["job_id"])


async def concurrently(client: Client, args: dict[str, Any], n: int = CALLS) -> list[Any]:
    results: list[Any] = [None] * n

    async def one(i: int) -> None:
        results[i] = await client.call_tool("check_job", args)

    async with anyio.create_task_group() as tg:
        for i in range(n):
            tg.start_soon(one, i)
    return results


async def test_concurrent_checks_of_one_job_share_one_request(client: Client, sandbox: Any) -> None:
    job_id = await new_job(client)
    sandbox.control.advance_clock(3600)
    sandbox.control.configure(latency_ms=400)  # every call arrives while the first is in flight
    before = len(job_gets(sandbox, job_id))
    results = await concurrently(client, {"job_id": job_id})
    answers = [structured(r) for r in results]
    assert {a["status"] for a in answers} == {"completed"}
    assert all(a == answers[0] for a in answers)
    gets = len(job_gets(sandbox, job_id)) - before
    assert 1 <= gets < CALLS


async def test_answers_are_independent_copies(client: Client, sandbox: Any) -> None:
    # wait_for_job edits the view it gets; a call sharing that poll must not see the edit.
    job_id = await new_job(client)
    sandbox.control.configure(latency_ms=400)

    async def wait() -> dict[str, Any]:
        args = {"job_id": job_id, "timeout_seconds": 1}
        return structured(await client.call_tool("wait_for_job", args))

    async def check() -> dict[str, Any]:
        return structured(await client.call_tool("check_job", {"job_id": job_id}))

    got: dict[str, dict[str, Any]] = {}
    async with anyio.create_task_group() as tg:

        async def run(name: str, fn: Any) -> None:
            got[name] = await fn()

        tg.start_soon(run, "wait", wait)
        tg.start_soon(run, "check", check)
    assert got["check"]["status"] == got["wait"]["status"] == "in-progress"
    assert "after waiting" in got["wait"]["next_step"]
    assert "after waiting" not in got["check"]["next_step"]


async def test_a_shared_failure_reaches_every_caller_clearly(client: Client, sandbox: Any) -> None:
    sandbox.control.configure(latency_ms=300)
    missing = "00000000-0000-4000-8000-000000000000"
    results = await concurrently(client, {"job_id": missing}, n=5)
    for result in results:
        assert result.is_error
        assert f"No job '{missing}'" in text_of(result)
        assert "pictory://jobs" in text_of(result)


async def test_a_cancelled_poll_does_not_strand_the_calls_sharing_it(
    client: Client, sandbox: Any
) -> None:
    job_id = await new_job(client)
    sandbox.control.advance_clock(3600)
    sandbox.control.configure(latency_ms=600)
    answer: dict[str, Any] = {}

    async def follower() -> None:
        await anyio.sleep(0.15)  # joins the first call's poll
        answer.update(structured(await client.call_tool("check_job", {"job_id": job_id})))

    async with anyio.create_task_group() as tg:
        tg.start_soon(follower)
        with anyio.move_on_after(0.3) as scope:
            await client.call_tool("check_job", {"job_id": job_id})
        assert scope.cancelled_caught
    assert answer["job_id"] == job_id
    assert answer["status"] == "completed"
