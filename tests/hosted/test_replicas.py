"""A two-replica rehearsal: a real PostgreSQL server, the sandbox, a loopback identity provider
and two `pictory-mcp --hosted` processes (`tests.hosted.fleet`); one MCP client alternates
replicas request by request.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.subscriptions import ResourceUpdated

from tests._helpers import posts, structured, until_found
from tests.hosted.fleet import Replicas
from tests.hosted.team import USER_KEYS

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."
RENDER = "/v2/video/storyboard/render"
HIGHLIGHTS = "/highlights"


async def test_two_replicas_serve_one_team_from_one_store(replicas: Replicas, sandbox: Any) -> None:
    team = replicas.team
    await team.connected("alice")  # the connect page of replica 1
    await team.connected("bob", USER_KEYS["bob"])
    async with replicas.client("alice") as alice, replicas.client("bob") as bob:
        created = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
        job_id = created["job_id"]
        with anyio.fail_after(90):
            done = structured(
                await alice.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 60})
            )
        assert done["status"] == "completed", done
        assert done["job_id"] == job_id
        listed = structured(await alice.call_tool("list_jobs", {}))
        assert [row["job_id"] for row in listed["jobs"]] == [job_id]
        for _ in range(2):  # through each replica
            assert structured(await bob.call_tool("list_jobs", {}))["jobs"] == []
            assert (await bob.call_tool("check_job", {"job_id": job_id})).is_error
    assert len(posts(sandbox, RENDER)) == 1


# Long enough that the waiting replica cannot poll again before the other records completion,
# however slow the machine: its answer must come through the store.
@pytest.mark.poll_interval(60)
async def test_a_wait_on_one_replica_returns_when_the_other_records_completion(
    replicas: Replicas, sandbox: Any
) -> None:
    team = replicas.team
    await team.connected("alice")
    first, second = ([p] for p in replicas.ports)
    async with replicas.client("alice", first) as one, replicas.client("alice", second) as two:
        sandbox.control.configure(render_seconds=600)
        created = structured(await one.call_tool("create_video_from_text", {"script": SCRIPT}))
        job_id = created["job_id"]
        waited: dict[str, Any] = {}

        async def wait() -> None:
            result = await two.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 50})
            waited.update(structured(result))

        gets_before = len(_job_gets(sandbox, job_id))
        async with anyio.create_task_group() as group:
            group.start_soon(wait)
            # The waiting replica polls once, then holds the job's poll slot; let it get there.
            await until_found(lambda: len(_job_gets(sandbox, job_id)) > gets_before)
            sandbox.control.advance_clock(3600)
            # Replica 1 hears Pictory say "completed" and records it.
            seen = structured(await one.call_tool("check_job", {"job_id": job_id}))
            assert seen["status"] == "completed"
        assert waited["status"] == "completed", waited
    # The waiting replica polled once; the completion reached it through the store.
    assert len(_job_gets(sandbox, job_id)) - gets_before == 2


async def test_a_workflow_left_by_a_killed_replica_is_finished_by_the_other(
    replicas: Replicas, sandbox: Any
) -> None:
    team = replicas.team
    await team.connected("alice")
    first, second = ([p] for p in replicas.ports)
    sandbox.control.configure(render_seconds=3)
    async with replicas.client("alice", first) as one:
        started = structured(
            await one.call_tool(
                "create_video_highlights",
                {
                    "media_url": "https://media.example.com/talks/keynote.mp4",
                    "duration_seconds": 30,
                },
            )
        )
    workflow_id = started["job_id"]
    replicas.kill(0)
    async with replicas.client("alice", second) as two:
        with anyio.fail_after(120):
            while True:
                view = structured(
                    await two.call_tool(
                        "wait_for_job", {"job_id": workflow_id, "timeout_seconds": 20}
                    )
                )
                if view["status"] not in ("submitting", "submitted", "in-progress"):
                    break
    assert view["status"] == "completed", view
    assert len(posts(sandbox, HIGHLIGHTS)) == 1
    assert len(posts(sandbox, RENDER)) == 1


async def test_a_render_answered_with_an_error_after_pictory_took_it_is_adopted_not_resent(
    replicas: Replicas, sandbox: Any
) -> None:
    team = replicas.team
    await team.connected("alice")
    async with replicas.client("alice") as alice:
        sandbox.control.faults(error_next=1, error_phase="after", error_status=503)
        view = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
        again = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
    (job,) = sandbox.control.jobs()
    assert view["job_id"] == job["job_id"]
    assert again["job_id"] == job["job_id"]  # the retry, on the other replica, is deduplicated
    assert len(posts(sandbox, RENDER)) == 1


def _job_gets(sandbox: Any, job_id: str) -> list[Any]:
    return [r for r in sandbox.control.requests(method="GET") if r["path"].endswith(job_id)]


async def test_the_same_render_sent_at_once_through_both_replicas_reaches_pictory_once(
    replicas: Replicas, sandbox: Any
) -> None:
    await replicas.team.connected("alice")
    first, second = ([p] for p in replicas.ports)
    answers: list[dict[str, Any]] = []
    async with replicas.client("alice", first) as one, replicas.client("alice", second) as two:

        async def create(client: Client) -> None:
            result = await client.call_tool("create_video_from_text", {"script": SCRIPT})
            answers.append(structured(result))

        async with anyio.create_task_group() as group:
            group.start_soon(create, one)
            group.start_soon(create, two)
        (job,) = sandbox.control.jobs()
        for answer in answers:  # each answer leads to the one job (a tracking id resolves to it)
            view = structured(await one.call_tool("check_job", {"job_id": answer["job_id"]}))
            assert view["job_id"] == job["job_id"], view
    assert len(posts(sandbox, RENDER)) == 1


async def test_a_listener_on_one_replica_hears_of_a_job_recorded_by_the_other(
    replicas: Replicas, sandbox: Any
) -> None:
    await replicas.team.connected("alice")
    first, second = ([p] for p in replicas.ports)
    async with (
        replicas.client("alice", first) as ear,
        replicas.client("alice", second) as hands,
        ear.listen(resource_subscriptions=["pictory://jobs"]) as heard,
    ):
        await hands.call_tool("create_video_from_text", {"script": SCRIPT})
        with anyio.fail_after(20):
            event = await heard.__anext__()
    assert event == ResourceUpdated(uri="pictory://jobs")


@pytest.mark.webhooks
async def test_agents_waiting_on_one_replica_hear_the_webhook_the_other_took(
    replicas: Replicas, sandbox: Any
) -> None:
    team = replicas.team
    await team.connected("alice")
    first, last = [replicas.ports[0]], replicas.ports[-1]
    sandbox.control.configure(render_seconds=600)
    async with replicas.client("alice", first) as one:
        created = structured(await one.call_tool("create_video_from_text", {"script": SCRIPT}))
    job_id = created["job_id"]
    waited: list[dict[str, Any]] = []

    async def wait() -> None:
        async with replicas.client("alice", first) as agent:
            args = {"job_id": job_id, "timeout_seconds": 50}
            waited.append(structured(await agent.call_tool("wait_for_job", args)))

    async with anyio.create_task_group() as group:
        for _ in range(3):
            group.start_soon(wait)
        await anyio.sleep(1.5)  # the waits are parked on the store
        sandbox.control.advance_clock(3600)
    assert [w["status"] for w in waited] == ["completed"] * 3
    (delivery,) = sandbox.control.webhooks()
    assert delivery["outcome"] == "delivered"
    assert delivery["url"].startswith(f"http://127.0.0.1:{last}/webhooks/pictory/")
    # The webhook's confirmation on the last replica is the only status request of the render.
    assert len(_job_gets(sandbox, job_id)) == 1
