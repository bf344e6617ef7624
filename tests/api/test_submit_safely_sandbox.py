"""submit_safely against the sandbox's one-shot faults: adopted after an "after" failure,
resubmitted only after a "before" one, and an honest SubmitOutcomeUnknownError otherwise.
Each fault is armed inside `send`, after the snapshot listing, so it hits the POST itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
import pytest

from pictory_mcp.api import PictoryClient, RetryPolicy
from pictory_mcp.api.models.responses import JobStart
from pictory_mcp.api.submit import SubmitPolicy, submit_safely
from pictory_mcp.errors import InvalidRequestError, ServerError, SubmitOutcomeUnknownError
from pictory_mcp.sandbox import SANDBOX_API_KEY

pytestmark = pytest.mark.anyio

RENDER = "/v2/video/storyboard/render"
FAST = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05)
POLICY = SubmitPolicy(max_submits=3, recheck_delay=0.01)


def board(name: str) -> dict[str, Any]:
    return {"videoName": name, "scenes": [{"story": "Rivers carry the story to the sea."}]}


@pytest.fixture
async def client(sandbox: Any) -> AsyncIterator[PictoryClient]:
    async with PictoryClient(SANDBOX_API_KEY, sandbox.api_base_url, retry=FAST) as made:
        yield made


def logged(sandbox: Any, method: str, path: str) -> list[dict[str, Any]]:
    return [
        r for r in sandbox.control.requests() if r["method"] == method and r["path"].endswith(path)
    ]


def armed(
    sandbox: Any, send: Callable[[], Awaitable[JobStart]], **fault: Any
) -> Callable[[], Awaitable[JobStart]]:
    """`send`, with `fault` armed just before its first call only."""
    pending = [fault]

    async def go() -> JobStart:
        if pending:
            await anyio.to_thread.run_sync(lambda: sandbox.control.faults(**pending.pop()))
        return await send()

    return go


async def test_a_5xx_after_the_job_was_made_adopts_that_job_without_a_second_post(
    sandbox: Any, client: PictoryClient
) -> None:
    send = armed(
        sandbox, lambda: client.render_storyboard(board("after")), error_next=1, error_phase="after"
    )
    done = await submit_safely(client, send, what="render", policy=POLICY)
    jobs = sandbox.control.jobs()
    assert done.adopted and done.posts == 1
    assert [j["job_id"] for j in jobs] == [done.job_id]
    assert len(logged(sandbox, "POST", RENDER)) == 1


async def test_a_5xx_before_anything_was_made_is_resubmitted_once(
    sandbox: Any, client: PictoryClient
) -> None:
    send = armed(
        sandbox,
        lambda: client.render_storyboard(board("before")),
        error_next=1,
        error_phase="before",
    )
    done = await submit_safely(client, send, what="render", policy=POLICY)
    assert not done.adopted and done.posts == 2
    assert [j["job_id"] for j in sandbox.control.jobs()] == [done.job_id]
    statuses = [r["status"] for r in logged(sandbox, "POST", RENDER)]
    assert len(statuses) == 2 and statuses[0] >= 500 and statuses[1] == 200


async def test_a_connection_dropped_after_processing_adopts_the_job(
    sandbox: Any, client: PictoryClient
) -> None:
    send = armed(
        sandbox, lambda: client.render_storyboard(board("drop")), drop_next=1, error_phase="after"
    )
    done = await submit_safely(client, send, what="render", policy=POLICY)
    assert done.adopted
    assert [j["job_id"] for j in sandbox.control.jobs()] == [done.job_id]
    assert len(logged(sandbox, "POST", RENDER)) == 1


async def test_an_unreadable_success_answer_adopts_the_job_it_announced(
    sandbox: Any, client: PictoryClient
) -> None:
    send = armed(sandbox, lambda: client.render_storyboard(board("cut")), malformed_next=1)
    done = await submit_safely(client, send, what="render", policy=POLICY)
    assert done.adopted
    assert [j["job_id"] for j in sandbox.control.jobs()] == [done.job_id]


async def test_a_job_made_by_another_client_meanwhile_makes_the_outcome_unknown(
    sandbox: Any, client: PictoryClient
) -> None:
    async with PictoryClient(SANDBOX_API_KEY, sandbox.api_base_url, retry=FAST) as other:

        async def send() -> JobStart:
            await other.render_storyboard(board("someone else"))
            await anyio.to_thread.run_sync(
                lambda: sandbox.control.faults(error_next=1, error_phase="after")
            )
            return await client.render_storyboard(board("ours"))

        with pytest.raises(SubmitOutcomeUnknownError) as caught:
            await submit_safely(client, send, what="render", policy=POLICY)
    message = str(caught.value)
    assert "may or may not have created the render job" in message
    assert "2 new jobs" in message and "Do not submit it again yet" in message
    assert len(logged(sandbox, "POST", RENDER)) == 2  # the other client's and ours, no retry
    assert len(sandbox.control.jobs()) == 2


async def test_an_unreadable_job_list_after_a_failure_makes_the_outcome_unknown(
    sandbox: Any, client: PictoryClient
) -> None:
    # The POST and every attempt of the following list answer 5xx ("before": nothing made).
    send = armed(
        sandbox,
        lambda: client.render_storyboard(board("blind")),
        error_next=1 + FAST.max_attempts,
        error_phase="before",
    )
    with pytest.raises(SubmitOutcomeUnknownError, match="job list could not be read"):
        await submit_safely(client, send, what="render", policy=POLICY)
    assert len(logged(sandbox, "POST", RENDER)) == 1


async def test_when_every_allowed_post_certainly_failed_the_last_error_is_raised(
    sandbox: Any, client: PictoryClient
) -> None:
    async def send() -> JobStart:
        await anyio.to_thread.run_sync(
            lambda: sandbox.control.faults(error_next=1, error_phase="before")
        )
        return await client.render_storyboard(board("never"))

    policy = SubmitPolicy(max_submits=2, recheck_delay=0.0)
    with pytest.raises(ServerError):
        await submit_safely(client, send, what="render", policy=policy)
    assert sandbox.control.jobs() == []
    assert len(logged(sandbox, "POST", RENDER)) == 2


async def test_a_clear_refusal_is_raised_at_once_without_looking_for_a_job(
    sandbox: Any, client: PictoryClient
) -> None:
    send = armed(sandbox, lambda: client.render_storyboard(board("refused")), reject_next=1)
    with pytest.raises(InvalidRequestError):
        await submit_safely(client, send, what="render", policy=POLICY)
    assert len(logged(sandbox, "GET", "/v1/jobs")) == 1  # the snapshot only
    assert sandbox.control.jobs() == []


async def test_concurrent_submissions_with_ambiguous_failures_each_get_their_own_job(
    sandbox: Any, client: PictoryClient
) -> None:
    sandbox.control.configure(error_rate=0.3, error_phase="mixed", seed=5)
    policy = SubmitPolicy(max_submits=8, recheck_delay=0.0)
    retry = RetryPolicy(max_attempts=10, base_delay=0.0, max_delay=0.0)
    found: dict[str, str] = {}
    async with PictoryClient(SANDBOX_API_KEY, sandbox.api_base_url, retry=retry) as faulty:

        async def one(name: str) -> None:
            done = await submit_safely(
                faulty, lambda: faulty.render_storyboard(board(name)), policy=policy
            )
            found[name] = done.job_id

        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                for n in range(12):
                    group.start_soon(one, f"video {n}")
    sandbox.control.configure(error_rate=0.0)
    made = {j["job_id"] for j in sandbox.control.jobs()}
    assert len(found) == 12 and set(found.values()) == made and len(made) == 12
    faults = {r["fault"] for r in logged(sandbox, "POST", RENDER) if r["fault"]}
    assert any(f.endswith("_after") for f in faults) and any(f.endswith("_before") for f in faults)
