"""Many MCP agents on hosted replicas at once, for the load and failure tests and `bench/load.py`.

Each agent is one SDK `Client` of one user (a real JWT) that makes a short render and follows it
as an agent would: `create_video_from_text` (a script of its own, with an idempotency key in
`_meta`), `check_job`, `wait_for_job` until the job ends, `list_jobs`. Every call is timed and
every answer kept, so a run can be checked afterwards: which job ids each user was given, that
no answer carries another user's job id, and that the store and the sandbox hold exactly those
jobs.

    run = LoadRun(lambda user: replicas.client(user, backends=shared), clients=200)
    await run.go()
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import anyio
import psycopg
from mcp import Client

from pictory_mcp.sandbox.job_state import fingerprint
from tests.hosted.fleet import Backends, Replicas
from tests.hosted.team import USER_KEYS

__all__ = [
    "RENDER",
    "Agent",
    "Answer",
    "LoadRun",
    "once_half_have_their_job",
    "owned_ids",
    "store_jobs",
    "under_load",
    "verify_jobs",
]

RENDER = "/v2/video/storyboard/render"
RUNNING = ("submitting", "submitted", "in-progress")
IDEMPOTENCY = "pictory-mcp/idempotency-key"
# Pictory job ids (uuids) and tracking ids of requests still being sent.
_IDS = re.compile(
    r"\b(?:sub-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"
)

ClientFactory = Callable[[str], AbstractAsyncContextManager[Client]]


class AgentGaveUp(Exception):
    """An agent's call kept failing after every retry it was allowed."""


@dataclass
class Answer:
    """One tool call as the agent saw it: how long it took and what came back (or what
    was raised: `failure`)."""

    user: str
    tool: str
    started: float
    seconds: float
    text: str
    tool_error: bool = False
    failure: str | None = None

    def ids(self) -> set[str]:
        return set(_IDS.findall(self.text))


@dataclass
class Agent:
    user: str
    number: int
    job_id: str | None = None
    tracking_ids: set[str] = field(default_factory=set)
    outcome: dict[str, Any] | None = None
    answers: list[Answer] = field(default_factory=list)
    gave_up: str | None = None

    @property
    def script(self) -> str:
        return (
            f"Agent {self.number} of {self.user} tells a short story. The river runs to the "
            "sea. The story ends."
        )


@dataclass
class LoadRun:
    """`clients` agents spread over `users`, each through a client from `connect(user)`.

    `wait_timeout`: each wait_for_job's timeout; `retries`, `retry_pause`: how often and
    after how long an agent repeats a call that failed (raised, or answered with an error),
    as an agent does after a connection loss (0: the first failure ends the agent)."""

    connect: ClientFactory
    clients: int = 200
    users: Sequence[str] = tuple(USER_KEYS)
    wait_timeout: float = 10.0
    retries: int = 0
    retry_pause: float = 1.0
    agents: list[Agent] = field(default_factory=list)
    created: int = 0
    seconds: float = 0.0

    async def go(self, limit: float = 120.0) -> None:
        """Run every agent at once, each to its end; no longer than `limit` seconds."""
        self.agents = [Agent(self.users[n % len(self.users)], n) for n in range(self.clients)]
        start = time.perf_counter()
        with anyio.fail_after(limit):
            async with anyio.create_task_group() as group:
                for agent in self.agents:
                    group.start_soon(self._run, agent)
        self.seconds = time.perf_counter() - start

    async def _run(self, agent: Agent) -> None:
        async with self.connect(agent.user) as client:
            try:
                await self._follow(client, agent)
            except AgentGaveUp as exc:
                agent.gave_up = str(exc)

    async def _follow(self, client: Client, agent: Agent) -> None:
        meta = {IDEMPOTENCY: f"load-agent-{agent.number}"}
        view = await self._call(
            client, agent, "create_video_from_text", {"script": agent.script}, meta
        )
        self.created += 1
        job_id = agent.job_id = view["job_id"]
        view = await self._call(client, agent, "check_job", {"job_id": job_id})
        while True:
            if view["job_id"] != job_id:  # a request's tracking id, now its Pictory job
                agent.tracking_ids.add(job_id)
                job_id = agent.job_id = view["job_id"]
            if view["status"] not in RUNNING:
                break
            args = {"job_id": job_id, "timeout_seconds": self.wait_timeout}
            view = await self._call(client, agent, "wait_for_job", args)
        agent.outcome = view
        await self._call(client, agent, "list_jobs", {})

    async def _call(
        self,
        client: Client,
        agent: Agent,
        tool: str,
        args: dict[str, Any],
        meta: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        for attempt in range(self.retries + 1):
            if attempt:
                await anyio.sleep(self.retry_pause)
            start = time.perf_counter()
            try:
                result = await client.call_tool(tool, args, meta=meta)  # type: ignore[arg-type]
            except Exception as exc:  # a protocol error: what the client raised
                took = time.perf_counter() - start
                failure = f"{type(exc).__name__}: {exc}"
                agent.answers.append(Answer(agent.user, tool, start, took, "", failure=failure))
                continue
            took = time.perf_counter() - start
            texts = [getattr(c, "text", "") for c in result.content]
            shown = json.dumps({"content": texts, "structured": result.structured_content})
            answer = Answer(agent.user, tool, start, took, shown, tool_error=result.is_error)
            agent.answers.append(answer)
            if not result.is_error and isinstance(result.structured_content, dict):
                return result.structured_content
        last = agent.answers[-1]
        raise AgentGaveUp(f"{tool}: {last.failure or last.text}")

    # --- what a run shows -------------------------------------------------------------------

    def answers(self) -> list[Answer]:
        return [a for agent in self.agents for a in agent.answers]

    def protocol_errors(self) -> list[Answer]:
        return [a for a in self.answers() if a.failure is not None]

    def tool_errors(self) -> list[Answer]:
        return [a for a in self.answers() if a.tool_error]

    def ids_of(self, user: str) -> set[str]:
        """Every job id and tracking id `user`'s agents were given."""
        own: set[str] = set()
        for agent in self.agents:
            if agent.user == user and agent.job_id:
                own |= {agent.job_id, *agent.tracking_ids}
        return own

    def foreign_ids(self, owned: dict[str, set[str]]) -> list[tuple[str, str, str]]:
        """(user, tool, id) for every id in an answer to `user` that is not among `owned[user]`
        (the ids of that user's jobs and requests)."""
        return [
            (a.user, a.tool, found)
            for a in self.answers()
            for found in sorted(a.ids() - owned.get(a.user, set()))
        ]

    def latency(self, tool: str | None = None) -> dict[str, float]:
        """Median, 99th percentile and count of the successful calls (of `tool`), in ms."""
        took = sorted(
            a.seconds * 1000
            for a in self.answers()
            if a.failure is None and not a.tool_error and tool in (None, a.tool)
        )
        if not took:
            return {"calls": 0}
        p99 = took[min(len(took) - 1, round(0.99 * (len(took) - 1)))]
        return {"calls": len(took), "p50_ms": statistics.median(took), "p99_ms": p99}


async def under_load(
    replicas: Replicas,
    meanwhile: Callable[[LoadRun], Awaitable[None]] | None = None,
    **options: Any,
) -> tuple[LoadRun, Backends]:
    """Run a `LoadRun` (with `options`) on running replicas through one balancer, with
    `meanwhile(run)` alongside (a replica killed, the database restarted ...)."""
    balancer = Backends(replicas.ports)
    run = LoadRun(
        lambda user: replicas.client(user, backends=balancer, mode="2026-07-28"), **options
    )
    async with anyio.create_task_group() as group:
        if meanwhile is not None:
            group.start_soon(meanwhile, run)
        await run.go()
    return run, balancer


async def once_half_have_their_job(run: LoadRun) -> None:
    """Until half the agents have their job id (the others are sending their requests or
    waiting for their account's turn)."""
    with anyio.fail_after(60):
        # A counter the agents move, not an event: looked at twenty times a second.
        while run.created < run.clients // 2:  # noqa: ASYNC110
            await anyio.sleep(0.05)


def store_jobs(db_url: str) -> list[tuple[str, str, str, str | None]]:
    """(job_id, owner, status, tracking_id) of every row of the store's job table."""
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT job_id, owner, status, tracking_id FROM jobs ORDER BY seq")
        return [(str(a), str(b), str(c), d) for a, b, c, d in rows.fetchall()]


def owned_ids(run: LoadRun, db_url: str) -> dict[str, set[str]]:
    """Each user's job ids and tracking ids, as the store holds them: every row of an owner
    whose jobs were given to that user's agents."""
    given = {agent.job_id: agent.user for agent in run.agents if agent.job_id}
    users = {owner: given[job_id] for job_id, owner, _, _ in store_jobs(db_url) if job_id in given}
    owned: dict[str, set[str]] = {user: run.ids_of(user) for user in run.users}
    for job_id, owner, _, tracking_id in store_jobs(db_url):
        if owner in users:
            owned[users[owner]] |= {job_id} | ({tracking_id} if tracking_id else set())
    return owned


def verify_jobs(run: LoadRun, db_url: str, sandbox: Any) -> list[str]:
    """What does not hold of the run's jobs, one sentence each (nothing: all is well):
    every agent got a job id and saw it end `completed`; the store holds each of those ids in
    exactly one row, one owner per user, and nothing else; the sandbox created exactly those
    jobs, each with one POST, on the key of the user it was returned to."""
    problems: list[str] = []
    given = {agent.job_id: agent for agent in run.agents if agent.job_id}
    for agent in run.agents:
        if agent.job_id is None or agent.outcome is None:
            problems.append(f"agent {agent.number} ended without a result ({agent.gave_up})")
        elif agent.outcome["status"] != "completed":
            problems.append(f"agent {agent.number}'s job ended {agent.outcome['status']}")
    if len(given) != sum(1 for agent in run.agents if agent.job_id):
        problems.append("two agents were given the same job id")
    rows = store_jobs(db_url)
    stored = [job_id for job_id, _, _, _ in rows]
    if len(stored) != len(set(stored)):
        problems.append("a job id is in the store twice")
    if set(stored) != set(given):
        extra, missing = set(stored) - set(given), set(given) - set(stored)
        problems.append(f"store and answers differ: {len(extra)} extra, {len(missing)} missing")
    owners: dict[str, set[str]] = {}
    for job_id, owner, _, _ in rows:
        if job_id in given:
            owners.setdefault(given[job_id].user, set()).add(owner)
    if any(len(o) != 1 for o in owners.values()) or len(
        set().union(*owners.values()) if owners else set()
    ) != len(owners):
        problems.append("a user's jobs have several owners, or users share one")
    created = {job["job_id"]: job for job in sandbox.control.jobs()}
    if set(created) != set(given):
        problems.append(f"the sandbox made {len(created)} jobs for {len(given)} job ids")
    for job_id, job in created.items():
        agent = given.get(job_id)
        if agent is not None and job["key"] != fingerprint(USER_KEYS[agent.user]):
            problems.append(f"job {job_id} was made on another user's key")
    # A POST cut off before the sandbox made its job (its sender was killed mid-request)
    # created nothing and is sent again; every job must come from exactly one POST.
    posted = [
        r["job_id"]
        for r in sandbox.control.requests(method="POST")
        if r["path"].endswith(RENDER) and r.get("job_id")
    ]
    if len(posted) != len(created) or len(set(posted)) != len(posted):
        problems.append(f"{len(posted)} render POSTs made jobs, for {len(created)} sandbox jobs")
    return problems
