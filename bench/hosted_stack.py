"""A hosted deployment on this machine for the benchmarks of hosted mode: PostgreSQL (the
tests' embedded server), the tests' loopback identity provider, the sandbox in a process of its
own, `pictory-mcp --hosted` replicas (`tests/hosted/fleet.py`), and the ten users of
`tests/hosted/team.py` with their Pictory keys connected; plus where the CPU time goes.

    async with hosted_stack(replicas=2) as stack: ...
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from common import child_pids, cpu_seconds, sandbox_with_pid, temp_dir

from pictory_mcp.sandbox.control_client import SandboxControl
from tests._postgres import LocalPostgres, create_database, running_postgres
from tests.hosted.fleet import Replicas
from tests.hosted.idp import running_idp
from tests.hosted.team import USER_KEYS

USERS = tuple(USER_KEYS)
# What a 2026-07-28 client puts in every request (there is no handshake to carry it).
_META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": {"name": "pictory-bench", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}
# Budgets out of the way: what is measured is the server, not its per-user limits.
UNLIMITED = {"PICTORY_MCP_USER_RATE": "1000000", "PICTORY_MCP_ACCOUNT_RATE": "1000000"}


@dataclass
class Stack:
    replicas: Replicas
    control: SandboxControl
    sandbox_pid: int
    database: str
    postgres: LocalPostgres

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.replicas.ports[n]}/mcp"

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far: each live replica, the sandbox, PostgreSQL, this process."""
        procs = enumerate(self.replicas.procs)
        return {
            **{f"replica{n + 1}": cpu_seconds(p.pid) for n, p in procs if p.poll() is None},
            "sandbox": cpu_seconds(self.sandbox_pid),
            "postgres": postgres_cpu(self.postgres),
            "bench": cpu_seconds(os.getpid()),
        }

    def store_counters(self) -> dict[str, int]:
        """PostgreSQL's counters of the store's database: commits and rows written."""
        import psycopg

        query = (
            "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted "
            "FROM pg_stat_database WHERE datname = current_database()"
        )
        with psycopg.connect(self.database) as conn:
            conn.execute("SELECT pg_stat_clear_snapshot()")
            row = conn.execute(query).fetchone()
        assert row is not None
        return dict(zip(("commits", "inserted", "updated", "deleted"), map(int, row), strict=True))


def postgres_cpu(server: LocalPostgres) -> float:
    """CPU seconds of the PostgreSQL server and its live backends (its children)."""
    total = 0.0
    for pid in [server.pid, *child_pids(server.pid)]:
        with contextlib.suppress(OSError):  # a backend that just ended
            total += cpu_seconds(pid)
    return total


def busy_cpus() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick


@contextlib.contextmanager
def _pieces() -> Iterator[tuple[LocalPostgres, Any, str, int, Path]]:
    with (
        running_postgres() as postgres,
        running_idp() as idp,
        sandbox_with_pid() as (root, pid),
        temp_dir() as tmp,
    ):
        yield postgres, idp, root, pid, tmp


@contextlib.asynccontextmanager
async def hosted_stack(
    replicas: int = 2, env: dict[str, str] | None = None, *, webhooks: bool = False
) -> AsyncIterator[Stack]:
    """Everything above, the users connected through the first replica's connect page;
    `webhooks`: Pictory's webhooks reach the last replica (`PICTORY_MCP_PUBLIC_URL`)."""
    with _pieces() as (postgres, idp, root, pid, tmp), SandboxControl(root) as control:
        database = create_database(postgres.admin_url)
        sandbox = SimpleNamespace(api_base_url=root + "/pictoryapis")
        fleet = Replicas(
            idp,
            sandbox,
            database,
            tmp,
            count=replicas,
            env={**UNLIMITED, **(env or {})},
            webhooks=webhooks,
        )
        try:
            fleet.start()
            for user in USERS:
                await fleet.team.connected(user)
            yield Stack(fleet, control, pid, database, postgres)
        finally:
            fleet.stop()


class RawClient:
    """One agent's tool calls as bare JSON-RPC POSTs (2026-07-28, sessionless) over one kept-
    alive connection: the least client CPU per call, so the servers are what is measured."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(
            timeout=60,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json, text/event-stream",
                "Content-Type": "application/json",
                "MCP-Protocol-Version": "2026-07-28",
            },
        )
        self._id = 0

    async def call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """The tool's structured answer; raises on any protocol or tool error."""
        self._id += 1
        body = {
            "jsonrpc": "2.0",
            "id": self._id,
            "method": "tools/call",
            "params": {"name": tool, "arguments": arguments, "_meta": _META},
        }
        headers = {"MCP-Method": "tools/call", "MCP-Name": tool}
        answer = await self.http.post(self.url, json=body, headers=headers)
        answer.raise_for_status()
        message = _message(answer)
        if "error" in message or message["result"].get("isError"):
            raise RuntimeError(f"{tool} failed: {str(message)[:300]}")
        result: dict[str, Any] = message["result"]["structuredContent"]
        return result

    async def aclose(self) -> None:
        await self.http.aclose()


def _message(answer: httpx.Response) -> dict[str, Any]:
    """The JSON-RPC answer of a POST, whether sent as JSON or as an SSE stream."""
    import json

    if answer.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in answer.text.splitlines() if line.startswith("data:")]
        for item in data:
            message: dict[str, Any] = json.loads(item)
            if "result" in message or "error" in message:
                return message
        raise RuntimeError("an SSE answer without a result")
    parsed: dict[str, Any] = answer.json()
    return parsed
