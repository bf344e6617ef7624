"""The hard cases of "never pay twice, never lose a job id": a history locked past a call's
bound, a server stopped before it could record an accepted job, a workflow step accepted while
the history was locked, a lease lost to another process, and two processes on one API key."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from typing import Any

import anyio
import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.jobs import JobStore
from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.server.app import build_server
from pictory_mcp.server.state import AppState
from pictory_mcp.server.workflow_steps import LeaseLost, UnrecordedSteps, send_step
from tests._helpers import history, history_locked, posts, structured, until_found

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year. Panels now pay for themselves faster."
RENDER = "/v2/video/storyboard/render"


def being_sent(settings: Settings) -> bool:
    """Whether a request's placeholder says it is going out now."""
    with sqlite3.connect(settings.db_path) as db:
        query = "SELECT 1 FROM jobs WHERE status = 'submitting' AND sent_at IS NOT NULL"
        return db.execute(query).fetchone() is not None


async def rendered_once(client: Client, sandbox: Any, tracking_id: str) -> None:
    """`wait_for_job` on a tracking id answers with the one job Pictory made, sent once."""
    with anyio.fail_after(30):
        view = structured(
            await client.call_tool("wait_for_job", {"job_id": tracking_id, "timeout_seconds": 20})
        )
    (job,) = sandbox.control.jobs()
    assert view["job_id"] == job["job_id"]
    assert len(posts(sandbox, RENDER)) == 1


async def create(client: Client) -> Any:
    return await client.call_tool("create_video_from_text", {"script": SCRIPT, "voice": "Brian"})


@pytest.mark.slow
async def test_a_create_whose_history_write_outlasts_the_bound_answers_with_its_tracking_id(
    settings: Settings, sandbox: Any
) -> None:
    bounded = settings.model_copy(update={"call_timeout": 5.0})
    async with Client(build_server(bounded)) as client:
        await client.call_tool("list_voices", {})  # cached: the create goes straight to writing
        with history_locked(bounded.db_path), anyio.fail_after(9):
            answer = structured(await create(client))  # the placeholder write is stuck
        assert answer["status"] == "submitting"
        assert answer["job_id"].startswith("sub-")
        assert "Do not submit again" in answer["next_step"]
        await rendered_once(client, sandbox, answer["job_id"])


async def test_a_request_answered_at_its_bound_is_still_sent_when_the_history_fails_before(
    settings: Settings, sandbox: Any
) -> None:
    bounded = settings.model_copy(update={"call_timeout": 5.0})
    turn = "submit:" + hashlib.sha256(SANDBOX_API_KEY.encode()).hexdigest()[:16]
    with JobStore(settings.db_path) as store:
        assert store.claim_lock(turn, "another:1:server", 60)  # the account's turn is taken
    async with Client(build_server(bounded)) as client:
        await client.call_tool("list_voices", {})
        with anyio.fail_after(9):
            answer = structured(await create(client))  # waiting for the account's turn
        assert answer["status"] == "submitting"
        with sqlite3.connect(settings.db_path) as db:  # the history fails the next look
            db.execute("ALTER TABLE locks RENAME TO locks_away")
        await anyio.sleep(1)
        with sqlite3.connect(settings.db_path) as db:  # it is back, and the turn is free
            db.execute("ALTER TABLE locks_away RENAME TO locks")
            db.execute("DELETE FROM locks")
        await rendered_once(client, sandbox, answer["job_id"])


@pytest.mark.slow  # waits out the history's 10 s busy timeout
async def test_a_job_accepted_while_the_history_is_locked_survives_a_server_stop(
    settings: Settings, sandbox: Any
) -> None:
    journal = settings.db_path.with_name(settings.db_path.name + ".unrecorded.jsonl")
    with contextlib.ExitStack() as held:
        async with Client(build_server(settings)) as client:
            await client.call_tool("list_voices", {})
            sandbox.control.configure(latency_ms=500)
            answered = anyio.Event()
            answer: dict[str, Any] = {}

            async def call() -> None:
                answer.update(structured(await create(client)))
                answered.set()

            async with anyio.create_task_group() as group:
                group.start_soon(call)
                await until_found(lambda: being_sent(settings))  # its POST takes 500 ms
                held.enter_context(history_locked(settings.db_path))
                with anyio.fail_after(30):
                    await answered.wait()
                assert "could not record it" in answer["details"]["warning"]
                assert "Do not submit again" in answer["next_step"]
                (job,) = sandbox.control.jobs()
                assert answer["job_id"] == job["job_id"]  # the accepted id, answered
        # The server stopped while the history was still locked; the journal kept the id.
        assert answer["job_id"] in journal.read_text()
    async with Client(build_server(settings)):
        await until_found(lambda: [r for r in history(settings) if r.job_id == answer["job_id"]])
    assert not journal.exists()
    assert len(posts(sandbox, RENDER)) == 1


@pytest.mark.slow  # waits out the history's 10 s busy timeout
async def test_a_workflow_step_accepted_while_the_history_is_locked_is_kept_not_failed(
    settings: Settings, sandbox: Any
) -> None:
    fast = settings.model_copy(update={"poll_interval": 0.5})
    args = {"media_url": "https://media.example.com/talks/keynote.mp4", "duration_seconds": 30}
    async with Client(build_server(fast)) as client:
        started = structured(await client.call_tool("create_video_highlights", args))
        workflow_id = started["job_id"]

        def marked_highlights() -> bool:
            with JobStore(settings.db_path) as store:
                record = store.get(workflow_id)
            steps = record.steps if record else []
            return len(steps) == 2 and steps[1].get("status") == "submitting"

        sandbox.control.configure(latency_ms=500)
        await until_found(marked_highlights)
        with history_locked(settings.db_path):  # the step is sent, but cannot be recorded
            await until_found(lambda: posts(sandbox, "/highlights"))
            await anyio.sleep(11)
        sandbox.control.configure(latency_ms=0)
        with anyio.fail_after(60):
            view = structured(
                await client.call_tool(
                    "wait_for_job", {"job_id": workflow_id, "timeout_seconds": 40}
                )
            )
    assert view["status"] == "completed", view
    assert len(posts(sandbox, "/highlights")) == 1
    assert len(posts(sandbox, RENDER)) == 1


async def test_an_engine_that_lost_its_lease_sends_nothing(
    settings: Settings, sandbox: Any
) -> None:
    server = build_server(settings)
    async with Client(server):
        state: AppState = server.shared_state.ref["state"]
        workflow = state.store.record_submission(
            "wf-lost", "highlights", {"workflow": "highlights", "media_url": "https://x/y.mp4"}, {}
        )
        assert state.store.claim("wf-lost", "another-process", 60)
        with pytest.raises(LeaseLost):
            await send_step(state, workflow, [], "transcription", None, UnrecordedSteps())
    assert posts(sandbox, "/v2/transcription") == []
    with JobStore(settings.db_path) as store:
        record = store.get("wf-lost")
    assert record is not None and record.steps == []


async def test_requests_of_one_api_key_wait_for_another_processs_submission_lock(
    settings: Settings, sandbox: Any
) -> None:
    bounded = settings.model_copy(update={"call_timeout": 5.0})
    server = build_server(bounded)
    async with Client(server) as client:
        state: AppState = server.shared_state.ref["state"]
        name = state.require_client().submit_lock_name
        assert state.store.claim_lock(name, "another-process", 60)
        first = structured(await create(client))
        assert first["status"] == "submitting"  # waiting for the other process's request
        assert posts(sandbox, RENDER) == []
        state.store.release_lock(name, "another-process")
        with anyio.fail_after(30):
            view = structured(
                await client.call_tool(
                    "wait_for_job", {"job_id": first["job_id"], "timeout_seconds": 20}
                )
            )
    assert view["job_id"] == sandbox.control.jobs()[0]["job_id"]
    assert len(posts(sandbox, RENDER)) == 1
