"""Stopping a hosted replica the way Kubernetes does (SIGTERM): calls already running finish
and get their answers, and the replica gives back the leases and locks it holds in the shared
store, so another replica takes its work over at once rather than after the leases expire."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests._helpers import free_port, posts, structured, until_found
from tests.hosted.idp import IdP
from tests.hosted.replica_process import HostedProcess, hosted_env, lease_rows, lock_rows
from tests.hosted.team import Team, settings_for

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

# Far longer than the test may take: only a release explains another replica's quick takeover.
LEASE_SECONDS = "3600"
SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."
MEDIA = {"media_url": "https://media.example.com/talks/keynote.mp4", "duration_seconds": 30}


@pytest.fixture
def replicas(
    request: pytest.FixtureRequest, idp: IdP, sandbox: Any, postgres_url: str, tmp_path: Path
) -> Iterator[tuple[Team, list[HostedProcess]]]:
    """Replicas of one deployment (two, or `indirect` parametrization's count), and their
    users' team (its URL is the first replica's)."""
    ports = [free_port() for _ in range(getattr(request, "param", 2))]
    team = Team(settings_for(idp, sandbox, postgres_url, port=ports[0]), idp)
    env = hosted_env(
        issuer=idp.issuer,
        resource_url=team.url,
        db=postgres_url,
        base_url=sandbox.api_base_url,
        ports=ports,
        PICTORY_MCP_LEASE_SECONDS=LEASE_SECONDS,
        PICTORY_MCP_POLL_INTERVAL="1",
    )
    assert team.settings.secret_keys is not None
    env["PICTORY_MCP_SECRET_KEYS"] = team.settings.secret_keys.get_secret_value()
    started = [HostedProcess(p, env, tmp_path / f"replica-{n}.log") for n, p in enumerate(ports)]
    try:
        for replica in started:
            replica.start()
        yield team, started
    finally:
        for replica in started:
            replica.stop()


async def test_a_replica_stopped_mid_step_releases_its_lease_and_the_other_finishes_the_workflow(
    replicas: tuple[Team, list[HostedProcess]], sandbox: Any, postgres_url: str
) -> None:
    team, (first, second) = replicas
    await team.connected("alice")  # through the first replica
    async with team.client("alice") as alice:
        workflow_id = structured(await alice.call_tool("create_video_highlights", MEDIA))["job_id"]
    # Pictory answers slowly now: the first replica's engine holds the workflow's lease while
    # it waits for the step's status.
    sandbox.control.configure(latency_ms=3000)

    def held_by_first() -> bool:
        return any(
            job == workflow_id and (owner or "").startswith(first.owner_prefix)
            for job, owner, _ in lease_rows(postgres_url)
        )

    await until_found(held_by_first, seconds=30)
    await anyio.to_thread.run_sync(first.terminate)
    left = [
        row for row in lease_rows(postgres_url) if (row[1] or "").startswith(first.owner_prefix)
    ]
    assert left == []
    assert [row for row in lock_rows(postgres_url) if row[1].startswith(first.owner_prefix)] == []
    sandbox.control.configure(latency_ms=0)
    async with team.client("alice", url=f"http://127.0.0.1:{second.port}/mcp") as alice:
        with anyio.fail_after(120):
            while True:
                view = structured(
                    await alice.call_tool(
                        "wait_for_job", {"job_id": workflow_id, "timeout_seconds": 20}
                    )
                )
                if view["status"] not in ("submitting", "submitted", "in-progress"):
                    break
    assert view["status"] == "completed", view
    assert len(posts(sandbox, "/highlights")) == 1
    assert len(posts(sandbox, "/v2/video/storyboard/render")) == 1


@pytest.mark.parametrize("replicas", [1], indirect=True)
async def test_a_call_running_when_the_replica_is_stopped_still_gets_its_answer(
    replicas: tuple[Team, list[HostedProcess]], sandbox: Any
) -> None:
    team, (first,) = replicas
    await team.connected("alice")
    sandbox.control.configure(render_seconds=600)
    waited: dict[str, Any] = {}
    async with team.client("alice") as alice:
        job_id = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))[
            "job_id"
        ]

        async def wait() -> None:
            # Longer than uvicorn's default grace of 5 s, well within the replica's.
            answer = await alice.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 7})
            waited.update(structured(answer))

        async with anyio.create_task_group() as group:
            group.start_soon(wait)
            await until_found(lambda: _job_gets(sandbox, job_id))  # the wait has begun
            stopped = await anyio.to_thread.run_sync(first.terminate)
    assert waited["status"] == "in-progress", waited
    assert "Call wait_for_job again" in waited["next_step"]
    assert stopped == -signal.SIGTERM  # a clean stop, the signal raised again at the end
    assert "Traceback" not in first.stderr()


def _job_gets(sandbox: Any, job_id: str) -> list[Any]:
    return [r for r in sandbox.control.requests(method="GET") if r["path"].endswith(job_id)]
