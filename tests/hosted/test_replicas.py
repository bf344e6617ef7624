"""A two-replica rehearsal: a real PostgreSQL server, the sandbox, a loopback identity provider
and two `pictory-mcp --hosted` processes; one MCP client alternates replicas request by request.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.client.subscriptions import ResourceUpdated

from pictory_mcp.hosted.vault import generate_key
from tests._helpers import free_port, posts, structured, until_found, wait_for_port
from tests.hosted.idp import IdP
from tests.hosted.team import USER_KEYS, Team, settings_for

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."
RENDER = "/v2/video/storyboard/render"
HIGHLIGHTS = "/highlights"


class Alternating(httpx2.AsyncBaseTransport):
    """Sends each request to the next replica in turn (a load balancer without affinity)."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.sent: list[int] = []
        self._inner = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        port = self.ports[len(self.sent) % len(self.ports)]
        self.sent.append(port)
        request.url = request.url.copy_with(port=port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class Replicas:
    """Two hosted replicas on one PostgreSQL store; `kill(n)` stops one without warning."""

    def __init__(
        self, idp: IdP, sandbox: Any, db: str, tmp_path: Path, poll_interval: float = 1
    ) -> None:
        self.ports = [free_port(), free_port()]
        self.team = Team(settings_for(idp, sandbox, db, port=self.ports[0]), idp)
        hosts = ",".join(f"127.0.0.1:{p}" for p in self.ports)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
        self.env.update(
            {
                "PICTORY_MCP_MODE": "hosted",
                "PICTORY_MCP_OAUTH_ISSUER": idp.issuer,
                "PICTORY_MCP_RESOURCE_URL": self.team.url,
                "PICTORY_MCP_SECRET_KEYS": generate_key(),
                "PICTORY_MCP_DB": db,
                "PICTORY_API_BASE_URL": sandbox.api_base_url,
                "PICTORY_MCP_ALLOWED_HOSTS": hosts,
                "PICTORY_MCP_POLL_INTERVAL": str(poll_interval),
                "PICTORY_MCP_LEASE_SECONDS": "6",
                "PICTORY_MCP_LOG_LEVEL": "WARNING",
            }
        )
        self.logs = [tmp_path / "replica-1.log", tmp_path / "replica-2.log"]
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        for port, log in zip(self.ports, self.logs, strict=True):
            command = [sys.executable, "-m", "pictory_mcp", "--transport", "streamable-http"]
            with log.open("wb") as err:
                proc = subprocess.Popen(
                    [*command, "--port", str(port)],
                    env=self.env,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                )
            self.procs.append(proc)
            wait_for_port(port, proc)

    def kill(self, n: int) -> None:
        self.procs[n].send_signal(signal.SIGKILL)
        self.procs[n].wait(timeout=10)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()

    @contextlib.asynccontextmanager
    async def client(self, user: str, ports: list[int] | None = None) -> AsyncIterator[Client]:
        """`user`'s client, alternating between `ports` (both replicas by default)."""
        token = self.team.token(user)
        transport = Alternating(ports or self.ports)
        http = httpx2.AsyncClient(
            transport=transport,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx2.Timeout(60, read=120),
        )
        async with http, Client(streamable_http_client(self.team.url, http_client=http)) as c:
            yield c


@pytest.fixture
def replicas(
    request: pytest.FixtureRequest, idp: IdP, sandbox: Any, postgres_url: str, tmp_path: Path
) -> Iterator[Replicas]:
    marker = request.node.get_closest_marker("poll_interval")
    interval = marker.args[0] if marker else 1
    pair = Replicas(idp, sandbox, postgres_url, tmp_path, poll_interval=interval)
    try:
        pair.start()
        yield pair
    finally:
        pair.stop()


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
