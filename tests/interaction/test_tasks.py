"""Renders as tasks (the `io.modelcontextprotocol/tasks` extension) through `mcp.Client` with a
client-side claim for `resultType: "task"`, in-process against the sandbox: a spending call
answers with a task whose id is the job id; `tasks/get` reports it working with Pictory's
progress words, then check_job's own answer; a failed render carries its fix; a cancelled task
costs Pictory nothing more; clients of the 2025 era, or that do not declare the extension,
keep today's job-id answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import anyio
import pytest
from mcp import Client
from mcp.client.session import ClientSession
from mcp.shared.exceptions import MCPError
from mcp.types import (
    INVALID_PARAMS,
    METHOD_NOT_FOUND,
    CallToolResult,
    Request,
    RequestParams,
    Result,
)

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import (
    TaskHandle,
    TasksClient,
    cancel_task,
    get_task,
    structured,
    text_of,
)

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year. Panels now pay for themselves faster."
MISSING_CAPABILITY = -32021


class UpdateParams(RequestParams):
    task_id: str
    input_responses: dict[str, Any]


def job_gets(sandbox: Any, job_id: str) -> int:
    """How often Pictory was asked about `job_id`."""
    return sum(
        1
        for r in sandbox.control.requests(method="GET")
        if r["path"].endswith(f"/v1/jobs/{job_id}")
    )


async def start_task(client: Client, tool: str, arguments: dict[str, Any]) -> TaskHandle:
    """Call a spending tool and keep the task it answers with, unresolved."""
    handle = await client.session.call_tool(tool, arguments, allow_claimed=True)
    assert isinstance(handle, TaskHandle), handle
    return handle


async def test_a_render_is_a_task_that_works_with_pictorys_words_then_ends_with_check_jobs_answer(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)  # the render moves only with the sandbox clock
    async with Client(build_server(settings), extensions=[TasksClient()]) as client:
        handle = await start_task(client, "create_video_from_text", {"script": SCRIPT})
        (job,) = sandbox.control.jobs()
        assert handle.task_id == job["job_id"]  # the task's id is the job's
        assert handle.status == "working"
        assert handle.poll_interval_ms == 10_000  # Pictory's guidance: every 10-30 s
        assert handle.ttl_ms is None
        assert datetime.fromisoformat(handle.created_at) <= datetime.fromisoformat(
            handle.last_updated_at
        )
        assert "In progress at Pictory" in (handle.status_message or "")

        sandbox.control.advance_clock(30)
        working = await get_task(client.session, handle.task_id)
        assert working.status == "working" and working.poll_interval_ms == 10_000
        assert "50%: Generating video" in (working.status_message or "")
        assert working.result is None

        sandbox.control.advance_clock(40)
        done = await get_task(client.session, handle.task_id)
        assert done.status == "completed"
        assert done.created_at == handle.created_at and done.poll_interval_ms is None
        assert done.result is not None
        final = CallToolResult.model_validate(done.result)
        checked = await client.call_tool("check_job", {"job_id": handle.task_id})
        assert not final.is_error
        assert final.structured_content == structured(checked)
        assert text_of(final) == text_of(checked)
        assert structured(checked)["video_url"].endswith("video.mp4")
        assert done.status_message == structured(checked)["next_step"]


async def test_tasks_get_answers_within_the_call_bound_when_pictory_is_slow(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)
    quick = settings.model_copy(update={"http_timeout": 1.0, "call_timeout": 5.0})
    async with Client(build_server(quick), extensions=[TasksClient()]) as client:
        handle = await start_task(client, "create_video_from_text", {"script": SCRIPT})
        sandbox.control.configure(latency_ms=3000)
        with anyio.fail_after(12):  # the 5 s call bound; unbounded retries take 20 s or more
            state = await get_task(client.session, handle.task_id)
        assert state.status == "working"  # what the history last recorded


async def test_a_tasks_client_gets_the_finished_video_from_one_call(
    settings: Settings, sandbox: Any
) -> None:
    follower = TasksClient(pause=0.1)
    async with Client(build_server(settings), extensions=[follower]) as client:
        with anyio.fail_after(30):
            result = await client.call_tool("create_video_from_text", {"script": SCRIPT})
    view = structured(result)
    assert view["status"] == "completed" and view["video_url"].endswith("video.mp4")
    (handle,) = follower.handles
    assert view["job_id"] == handle.task_id
    assert [s.status for s in follower.states][-1] == "completed"


async def test_a_preview_and_its_render_are_tasks_too(settings: Settings, sandbox: Any) -> None:
    follower = TasksClient(pause=0.1)
    async with Client(build_server(settings), extensions=[follower]) as client:
        with anyio.fail_after(30):
            preview = structured(
                await client.call_tool(
                    "create_video_from_text", {"script": SCRIPT, "preview": True}
                )
            )
            assert preview["status"] == "completed" and "render_preview" in preview["next_step"]
            render = structured(
                await client.call_tool("render_preview", {"job_id": preview["job_id"]})
            )
    assert render["status"] == "completed" and render["video_url"].endswith("video.mp4")
    assert [h.task_id for h in follower.handles] == [preview["job_id"], render["job_id"]]


async def test_a_highlights_workflow_is_a_task_named_by_its_workflow_id(
    settings: Settings, sandbox: Any
) -> None:
    follower = TasksClient(pause=0.1)
    async with Client(build_server(settings), extensions=[follower]) as client:
        with anyio.fail_after(60):
            view = structured(
                await client.call_tool(
                    "create_video_highlights", {"media_url": "https://example.com/talk.mp4"}
                )
            )
    (handle,) = follower.handles
    assert handle.task_id.startswith("wf-") and view["job_id"] == handle.task_id
    assert view["status"] == "completed" and view["video_url"]
    assert any("Highlights step" in (s.status_message or "") for s in follower.states)


async def test_a_failed_render_ends_the_task_with_an_error_result_carrying_the_fix(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)
    sandbox.control.fail_next_jobs(
        1,
        error_code="TEXT_TO_VIDEO_FAILED",
        error_message="The AI voice speaker [Martin] is invalid. Use a valid voice.",
    )
    async with Client(build_server(settings), extensions=[TasksClient()]) as client:
        handle = await start_task(client, "create_video_from_text", {"script": SCRIPT})
        sandbox.control.advance_clock(60)
        ended = await get_task(client.session, handle.task_id)
        checked = structured(await client.call_tool("check_job", {"job_id": handle.task_id}))
    # The extension keeps `failed` for protocol errors: a render Pictory could not make is the
    # call's result, flagged as an error, with check_job's answer and its fix.
    assert ended.status == "completed" and ended.result is not None
    final = CallToolResult.model_validate(ended.result)
    assert final.is_error
    assert checked["status"] == "failed"
    assert final.structured_content == checked
    fix = checked["error"]["fix"]
    assert "list_voices" in fix and fix in text_of(final)
    assert fix in (ended.status_message or "") and "Failed" in (ended.status_message or "")


async def test_a_cancelled_task_is_acknowledged_and_costs_pictory_no_further_request(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)
    async with Client(build_server(settings), extensions=[TasksClient()]) as client:
        handle = await start_task(client, "create_video_from_text", {"script": SCRIPT})
        assert (await get_task(client.session, handle.task_id)).status == "working"
        asked = job_gets(sandbox, handle.task_id)
        assert asked == 1

        ack = await cancel_task(client.session, handle.task_id)
        note = (ack.meta or {})["pictory-mcp/note"]
        assert "Pictory has no cancel" in note and "spends its credits" in note

        sandbox.control.advance_clock(90)  # the render finishes at Pictory all the same
        for _ in range(3):
            state = await get_task(client.session, handle.task_id)
            assert state.status == "cancelled" and state.result is None
            assert "check_job" in (state.status_message or "")
        assert job_gets(sandbox, handle.task_id) == asked  # nothing asked for the task since
        assert (await cancel_task(client.session, handle.task_id)).meta  # cancelling again: ack
        # The job itself is still there for check_job, which does ask Pictory.
        checked = structured(await client.call_tool("check_job", {"job_id": handle.task_id}))
        assert checked["status"] == "completed"


async def test_cancelling_a_task_whose_job_already_finished_keeps_its_result(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)
    async with Client(build_server(settings), extensions=[TasksClient()]) as client:
        handle = await start_task(client, "create_video_from_text", {"script": SCRIPT})
        sandbox.control.advance_clock(90)
        assert (await get_task(client.session, handle.task_id)).status == "completed"
        ack = await cancel_task(client.session, handle.task_id)
        assert "already ended (completed)" in (ack.meta or {})["pictory-mcp/note"]
        assert (await get_task(client.session, handle.task_id)).status == "completed"


class UpdateTask(Request[UpdateParams, Literal["tasks/update"]]):
    method: Literal["tasks/update"] = "tasks/update"
    params: UpdateParams
    name_param = "taskId"


async def update_task(session: ClientSession, task_id: str) -> Result:
    responses = {"name": {"action": "accept", "content": {"input": "Luca"}}}
    request = UpdateTask(params=UpdateParams(task_id=task_id, input_responses=responses))
    return await session.send_request(request, Result)


async def test_an_update_is_acknowledged_for_a_known_task_that_never_asks_for_input(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)
    async with Client(build_server(settings), extensions=[TasksClient()]) as client:
        handle = await start_task(client, "create_video_from_text", {"script": SCRIPT})
        await update_task(client.session, handle.task_id)
        assert (await get_task(client.session, handle.task_id)).status == "working"


async def test_an_unknown_task_id_is_invalid_params(settings: Settings, sandbox: Any) -> None:
    async with Client(build_server(settings), extensions=[TasksClient()]) as client:
        for call in (get_task, cancel_task, update_task):
            with pytest.raises(MCPError) as refused:
                await call(client.session, "0a5e1c9e-0000-4000-8000-000000000000")
            assert refused.value.error.code == INVALID_PARAMS
            assert "no task" in refused.value.error.message


def todays_answer(result: Any) -> dict[str, Any]:
    """A create call answered the 2025 way: the job id, running, and how to wait for it."""
    assert isinstance(result, CallToolResult), result
    view = structured(result)
    assert view["status"] == "in-progress" and view["job_id"]
    assert "wait_for_job(job_id)" in view["next_step"]
    return view


async def test_a_2025_era_client_declaring_tasks_keeps_the_job_id_flow(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)
    async with Client(build_server(settings), mode="legacy") as plain:
        before = todays_answer(await plain.call_tool("create_video_from_text", {"script": SCRIPT}))
    async with Client(build_server(settings), mode="legacy", extensions=[TasksClient()]) as client:
        result = await client.session.call_tool(
            "create_video_from_text", {"script": SCRIPT + " Really."}, allow_claimed=True
        )
        view = todays_answer(result)
        assert set(view) == set(before) and view["next_step"] == before["next_step"]
        with pytest.raises(MCPError) as refused:
            await get_task(client.session, view["job_id"])
        assert refused.value.error.code == METHOD_NOT_FOUND


async def test_a_client_that_does_not_declare_tasks_gets_job_answers_and_no_tasks(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(render_seconds=60)
    async with Client(build_server(settings)) as client:
        result = await client.session.call_tool(
            "create_video_from_text", {"script": SCRIPT}, allow_claimed=True
        )
        view = todays_answer(result)
        with pytest.raises(MCPError) as refused:
            await get_task(client.session, view["job_id"])
        assert refused.value.error.code == MISSING_CAPABILITY


async def test_read_only_tools_and_finished_answers_are_never_tasks(
    settings: Settings, sandbox: Any
) -> None:
    follower = TasksClient()
    async with Client(build_server(settings), extensions=[follower]) as client:
        with anyio.fail_after(30):
            preview = structured(
                await client.call_tool(
                    "create_video_from_text", {"script": SCRIPT, "preview": True}
                )
            )
            waited = await client.call_tool(
                "wait_for_job", {"job_id": preview["job_id"], "timeout_seconds": 1}
            )
            edited = await client.call_tool(
                "update_preview_scene", {"job_id": preview["job_id"], "scene": 1, "text": "Hi."}
            )
    assert isinstance(waited, CallToolResult) and isinstance(edited, CallToolResult)
    assert len(follower.handles) == 1  # only the preview itself
