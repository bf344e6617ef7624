"""Job-creating calls never lose a job Pictory accepted and never invite a second payment:
cancelled mid-request, past their bound, with the history unwritable, or with an outcome
nobody can know. Through mcp.Client against the sandbox."""

from __future__ import annotations

import sqlite3
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client

from pictory_mcp.api._retry import RetryPolicy
from pictory_mcp.api.submit import SubmitPolicy
from pictory_mcp.config import Settings
from pictory_mcp.jobs import JobStore
from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.server.app import build_server
from tests._helpers import history, posts, structured, text_of, until_found

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year. Panels now pay for themselves faster."
RENDER = "/v2/video/storyboard/render"


def job_lists(sandbox: Any) -> list[dict[str, Any]]:
    return [r for r in sandbox.control.requests(method="GET") if r["path"].endswith("/v1/jobs")]


async def create(client: Client) -> Any:
    return await client.call_tool("create_video_from_text", {"script": SCRIPT, "voice": "Brian"})


async def test_a_create_call_cancelled_mid_request_still_records_the_job(
    settings: Settings, sandbox: Any
) -> None:
    async with Client(build_server(settings)) as client:
        await client.call_tool("list_voices", {})  # the voice list is cached from here on
        sandbox.control.configure(latency_ms=800)
        scope = anyio.CancelScope()

        async def call() -> None:
            with scope:
                await create(client)

        async with anyio.create_task_group() as group:
            group.start_soon(call)
            # The render is on its way once the job list it is compared with has been read.
            await until_found(lambda: job_lists(sandbox))
            await anyio.sleep(0.3)
            scope.cancel()
        assert scope.cancelled_caught
        (job,) = await until_found(lambda: sandbox.control.jobs())
        records = await until_found(
            lambda: [r for r in history(settings) if r.job_id == job["job_id"]]
        )
    assert records[0].kind == "render" and records[0].payload["videoName"]
    assert len(posts(sandbox, RENDER)) == 1
    assert [r.job_id for r in history(settings)] == [job["job_id"]]  # no placeholder left


async def test_a_create_that_outlasts_its_bound_answers_with_a_tracking_id_that_finds_the_job(
    settings: Settings, sandbox: Any
) -> None:
    bounded = settings.model_copy(update={"call_timeout": 5.0})
    async with Client(build_server(bounded)) as client:
        await client.call_tool("list_voices", {})
        sandbox.control.configure(latency_ms=2500)
        with anyio.fail_after(8):
            first = structured(await create(client))
        assert first["status"] == "submitting"
        tracking_id = first["job_id"]
        assert tracking_id.startswith("sub-")
        assert "Do not submit again" in first["next_step"]
        assert f"wait_for_job('{tracking_id}')" in first["next_step"]
        sandbox.control.configure(latency_ms=0)
        with anyio.fail_after(30):
            view = structured(
                await client.call_tool(
                    "wait_for_job", {"job_id": tracking_id, "timeout_seconds": 20}
                )
            )
    (job,) = sandbox.control.jobs()
    assert view["job_id"] == job["job_id"]
    assert view["details"]["tracking_id"] == tracking_id
    assert f"accepted it as job {job['job_id']}" in view["next_step"]
    assert len(posts(sandbox, RENDER)) == 1


async def test_an_outcome_nobody_can_know_is_kept_in_the_history_under_its_tracking_id(
    settings: Settings, sandbox: Any
) -> None:
    quick = RetryPolicy(max_attempts=2, base_delay=0)
    async with Client(build_server(settings, retry=quick)) as client:
        await client.call_tool("list_voices", {})
        sandbox.control.configure(latency_ms=400)
        result: list[Any] = []

        async def call() -> None:
            result.append(await create(client))

        async with anyio.create_task_group() as group:
            group.start_soon(call)
            # After the job list is read, the render is made but answered 503, and the job
            # list is unreadable afterwards: nobody can tell whether the render is ours.
            await until_found(lambda: job_lists(sandbox))
            sandbox.control.faults(error_next=3, error_phase="after", error_status=503)
        (outcome,) = result
        assert outcome.is_error
        message = text_of(outcome)
        assert "may or may not have created" in message
        (kept,) = [r for r in history(settings) if r.job_id.startswith("sub-")]
        assert f"kept in the job history as {kept.job_id}" in message
        view = structured(await client.call_tool("check_job", {"job_id": kept.job_id}))
    assert view["status"] == "unknown"
    assert view["error"]["code"] == "SUBMIT_OUTCOME_UNKNOWN"
    assert "Do not submit it again yet" in view["next_step"]
    assert len(posts(sandbox, RENDER)) == 1


def left_behind(settings: Settings, payload: dict[str, Any], before: list[str] | None) -> None:
    """A request a server queued (`before` None) or sent after Pictory listed `before`, and then
    died: its placeholder, with a lease that runs out at once."""
    with JobStore(settings.db_path) as store:
        store.begin_submission("sub-left", "render", payload, {}, owner="gone:1:x", ttl=0.5)
        if before is not None:
            assert store.mark_submission_sent("sub-left", "gone:1:x", before)


async def wait_for(client: Client, job_id: str) -> dict[str, Any]:
    with anyio.fail_after(30):
        result = await client.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 20})
    return structured(result)


async def test_a_request_whose_sender_died_while_sending_reads_as_unknown_if_it_cannot_be_found(
    client: Client, settings: Settings
) -> None:
    left_behind(settings, {"videoName": "x"}, None)
    with sqlite3.connect(settings.db_path) as db:  # a server from before sends were noted
        db.execute("UPDATE jobs SET sent_at = 0 WHERE job_id = 'sub-left'")
    await anyio.sleep(0.6)  # the dead owner's lease runs out
    view = structured(await client.call_tool("check_job", {"job_id": "sub-left"}))
    assert view["status"] == "unknown"
    assert "server stopped while sending" in view["error"]["message"]
    with JobStore(settings.db_path) as store:
        record = store.get("sub-left")
    assert record is not None and record.error is not None  # written down for later readers


async def test_a_request_whose_sender_died_before_sending_it_is_sent_by_the_next_reader_once(
    client: Client, settings: Settings, sandbox: Any
) -> None:
    first = structured(await create(client))
    (done,) = [r for r in history(settings) if r.job_id == first["job_id"]]
    left_behind(settings, {**done.payload, "videoName": "Left behind"}, None)
    await anyio.sleep(0.6)
    views: list[dict[str, Any]] = []

    async def read() -> None:
        views.append(structured(await client.call_tool("check_job", {"job_id": "sub-left"})))

    async with anyio.create_task_group() as group:  # two readers at once: one sends it
        group.start_soon(read)
        group.start_soon(read)
    assert [v["status"] for v in views] == ["submitting", "submitting"]
    view = await wait_for(client, "sub-left")
    assert view["job_id"] not in ("sub-left", first["job_id"])
    assert view["details"]["tracking_id"] == "sub-left"
    sent = [r["body"].get("videoName") for r in posts(sandbox, RENDER)]
    assert sent == [done.payload["videoName"], "Left behind"]


@pytest.mark.parametrize("reached_pictory", [True, False])
async def test_a_request_whose_sender_died_after_sending_it_is_found_or_else_sent_once(
    settings: Settings, sandbox: Any, reached_pictory: bool
) -> None:
    server = build_server(settings, submit_policy=SubmitPolicy(recheck_delay=0))
    async with Client(server) as client:
        first = structured(await create(client))
        (done,) = [r for r in history(settings) if r.job_id == first["job_id"]]
        payload = {**done.payload, "videoName": "Left behind"}
        left_behind(settings, payload, before=[first["job_id"]])
        if reached_pictory:  # the dead server's request reached Pictory
            async with httpx.AsyncClient() as http:
                answer = await http.post(
                    sandbox.api_base_url + RENDER,
                    json=payload,
                    headers={"Authorization": SANDBOX_API_KEY},
                )
            answer.raise_for_status()
        await anyio.sleep(0.6)
        view = await wait_for(client, "sub-left")
    jobs = [job["job_id"] for job in sandbox.control.jobs()]
    assert len(jobs) == 2 and view["job_id"] in jobs and view["job_id"] != first["job_id"]
    assert len(posts(sandbox, RENDER)) == 2  # the render was sent once, by one server or other


async def test_a_request_still_being_sent_by_a_live_process_reads_as_submitting(
    client: Client, settings: Settings
) -> None:
    with JobStore(settings.db_path) as store:
        store.begin_submission("sub-busy", "render", {}, {}, owner="alive:2:here", ttl=60)
    view = structured(await client.call_tool("check_job", {"job_id": "sub-busy"}))
    assert view["status"] == "submitting"
    assert "Do not submit again" in view["next_step"]


async def test_a_clear_refusal_leaves_no_placeholder_behind(
    client: Client, settings: Settings, sandbox: Any
) -> None:
    sandbox.control.faults(reject_next=1)
    result = await create(client)
    assert result.is_error
    assert "400" in text_of(result)
    assert history(settings) == []


async def test_an_answer_at_the_bound_still_says_which_default_voice_narrates(
    settings: Settings, sandbox: Any
) -> None:
    bounded = settings.model_copy(update={"call_timeout": 5.0})
    async with Client(build_server(bounded)) as client:
        await client.call_tool("list_voices", {})
        sandbox.control.configure(latency_ms=2500)
        with anyio.fail_after(8):
            first = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
        sandbox.control.configure(latency_ms=0)
    assert first["status"] == "submitting"
    assert first["next_step"].startswith("No voice was given")
    assert "Do not submit again" in first["next_step"]
