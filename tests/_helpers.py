"""Helpers shared by test modules (fixtures live in the conftest files): settings and answers
of in-process servers, server subprocesses on free ports, the canary key scanner, the
Pictory client's view of the sandbox's request log, and the client side of the MCP tasks
extension.

Test modules import from here, never from one another.
"""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Literal

import anyio
from mcp import Client
from mcp.client.extension import ClaimContext, ClientExtension, ResultClaim
from mcp.client.session import ClientSession
from mcp.server.apps import APP_MIME_TYPE
from mcp.types import CallToolResult, Request, RequestParams, Result
from pydantic import ConfigDict

from pictory_mcp.api import RetryPolicy
from pictory_mcp.config import Settings
from pictory_mcp.jobs import JobRecord, JobStore
from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import AsyncSandboxControl

# --- in-process servers and their answers ------------------------------------------------------


class ShowsViews(ClientExtension):
    """What a host that renders inline views (MCP Apps) declares: pass it in a Client's
    `extensions` to be listed the tools only views call."""

    identifier = "io.modelcontextprotocol/ui"

    def settings(self) -> dict[str, Any]:
        return {"mimeTypes": [APP_MIME_TYPE]}


def make_settings(base_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "api_key": SANDBOX_API_KEY,
        "base_url": base_url,
        "db_path": tmp_path / "jobs.sqlite3",
        "output_dir": tmp_path / "out",
        "poll_interval": 1.0,
    }
    values.update(overrides)
    return Settings.from_env({}, **values)


@asynccontextmanager
async def serving(settings: Settings, port: int) -> AsyncIterator[None]:
    """`settings`' server over streamable HTTP on loopback `port`, in this process (under
    uvicorn), until the block exits."""
    from pictory_mcp.server.app import build_server
    from pictory_mcp.server.http_serve import http_server

    server = build_server(settings, http_host="127.0.0.1", http_port=port)
    uv = http_server(server, settings, "streamable-http", host="127.0.0.1", port=port)
    async with anyio.create_task_group() as group:
        group.start_soon(uv.serve)
        await until_found(lambda: uv.started)
        try:
            yield
        finally:
            uv.should_exit = True


def structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, text_of(result)
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def text_of(result: Any) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


def job_gets(sandbox: Any, job_id: str) -> int:
    """How often Pictory (the sandbox) was asked about `job_id`."""
    return sum(
        1
        for r in sandbox.control.requests(method="GET")
        if r["path"].endswith(f"/v1/jobs/{job_id}")
    )


def posts(sandbox: Any, path: str) -> list[dict[str, Any]]:
    """Requests with a mutating method that the sandbox logged for `path`.

    A `path` ending in '/' matches any id after it (e.g. '/v2/video/render/').
    """
    found = []
    for r in sandbox.control.requests():
        if r["method"] not in ("POST", "PUT"):
            continue
        logged = r["path"]
        if path.endswith("/"):
            head, _, tail = logged.rpartition("/")
            if (head + "/").endswith(path) and tail:
                found.append(r)
        elif logged.endswith(path):
            found.append(r)
    return found


# --- server subprocesses ---------------------------------------------------------------------


def server_env(sandbox: Any, tmp_path: Path) -> dict[str, str]:
    """The environment of a `pictory-mcp` subprocess on the sandbox: no inherited PICTORY_*
    values, its own job history."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    env.update(
        {
            "PICTORY_API_KEY": SANDBOX_API_KEY,
            "PICTORY_API_BASE_URL": sandbox.api_base_url,
            "PICTORY_MCP_DB": str(tmp_path / "jobs.sqlite3"),
            "PICTORY_MCP_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _address(host: str) -> tuple[socket.AddressFamily, str]:
    bare = host.strip("[]")
    return (socket.AF_INET6 if ":" in bare else socket.AF_INET), bare


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on just now (also how to get a port that refuses connections)."""
    family, bare = _address(host)
    with socket.socket(family) as s:
        s.bind((bare, 0))
        return int(s.getsockname()[1])


def wait_for_port(
    port: int, proc: subprocess.Popen[bytes], timeout: float = 20.0, host: str = "127.0.0.1"
) -> None:
    family, bare = _address(host)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}")
        with socket.socket(family) as s:
            if s.connect_ex((bare, port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} never opened")


def serve_http(
    env: dict[str, str],
    transport: str = "streamable-http",
    *,
    stdout: Any = subprocess.DEVNULL,
    stderr: Any = subprocess.DEVNULL,
    host: str = "127.0.0.1",
    args: Sequence[str] = (),
) -> Iterator[int]:
    """Run `pictory-mcp` over an HTTP transport on a free port of `host`; yield the port."""
    port = free_port(host)
    command = [sys.executable, "-m", "pictory_mcp", "--transport", transport, "--port", str(port)]
    if host != "127.0.0.1":
        command += ["--host", host]
    proc = subprocess.Popen([*command, *args], env=env, stdout=stdout, stderr=stderr)
    try:
        wait_for_port(port, proc, host=host)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def serve_http_on_sandbox(sandbox: Any, tmp_path: Path, transport: str) -> Iterator[int]:
    """`serve_http` with `server_env`: a server subprocess on the sandbox; yields its port."""
    yield from serve_http(server_env(sandbox, tmp_path), transport)


# --- the canary key: every text the key must never appear in --------------------------------

CANARY = f"pictai_CANARY_{secrets.token_hex(8)}"
ADVANCE = 3600.0  # sandbox seconds after which every job has finished


class Scanner:
    """Collects every text the key must not appear in, naming where each came from."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def add(self, where: str, text: str) -> None:
        self.seen.append((where, text))

    def add_result(self, where: str, result: Any) -> None:
        self.add(where, result.model_dump_json())
        self.add(where, text_of(result))

    def assert_clean(self) -> None:
        leaks = [where for where, text in self.seen if CANARY in text]
        assert not leaks, f"the API key appeared in: {leaks[:10]}"
        assert self.seen


async def call(client: Client, scan: Scanner, tool: str, args: dict[str, Any]) -> Any:
    where = f"{tool}({sorted(args)})"
    try:
        with anyio.fail_after(30):
            result = await client.call_tool(tool, args)
    except Exception as exc:  # a protocol error's text must be clean too
        scan.add(f"{where} raised", f"{exc!r} {exc}")
        return None
    scan.add_result(where, result)
    return result


async def read_all_resources(client: Client, scan: Scanner, job_ids: list[str]) -> None:
    uris = [str(r.uri) for r in (await client.list_resources()).resources]
    uris += [f"pictory://jobs/{job}" for job in job_ids]
    for uri in uris:
        try:
            read = await client.read_resource(uri)
        except Exception as exc:
            scan.add(f"read {uri} raised", f"{exc!r} {exc}")
            continue
        scan.add(f"resource {uri}", read.model_dump_json())


async def job_ids(client: Client) -> tuple[str, str]:
    """A render job and a preview job, created through `client`."""
    render = await client.call_tool(
        "create_video_from_text", {"script": "Rivers carry the story.", "voice": "Joanna"}
    )
    preview = await client.call_tool(
        "create_video_from_text", {"script": "One. Two. Three.", "voice": "Joanna", "preview": True}
    )
    assert not render.is_error and not preview.is_error, text_of(render) + text_of(preview)
    assert isinstance(render.structured_content, dict)
    assert isinstance(preview.structured_content, dict)
    return render.structured_content["job_id"], preview.structured_content["job_id"]


def scan_database(scan: Scanner, db: Path) -> None:
    files = [p for p in db.parent.iterdir() if p.name.startswith(db.name)]
    assert db in files
    for path in files:
        scan.add(f"file {path.name}", path.read_bytes().decode("latin-1"))


# --- the Pictory client against the sandbox ---------------------------------------------------

CLIENT_KEY = "pictai_SECRET_canary_123"
TINY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, jitter=0.1, max_retry_after=5)
STORYBOARD: dict[str, Any] = {
    "videoName": "client_test",
    "scenes": [{"story": "The sea is wide. Plastic harms it."}],
}
RENDER = "/pictoryapis/v2/video/storyboard/render"


class Control(AsyncSandboxControl):
    """The sandbox's control client, with the one-route filter the client tests use."""

    async def requests(  # type: ignore[override]
        self, method: str | None = None, path: str | None = None
    ) -> list[dict[str, Any]]:
        entries = await super().requests(method=method, path_prefix=path)
        return [e for e in entries if path is None or e["path"] == path]


async def wait_for_log(control: Control, method: str, path: str, count: int) -> list[Any]:
    """The log entries for one route, once at least `count` have been recorded."""
    with anyio.fail_after(10):
        while True:
            entries = await control.requests(method, path)
            if len(entries) >= count:
                return entries
            await anyio.sleep(0.05)


# -- the job history, seen from a test -------------------------------------------------------


def history(settings: Settings) -> list[JobRecord]:
    """The server's job history, newest first (read through a connection of the test's own)."""
    with JobStore(settings.db_path) as store:
        return store.list_recent(limit=50)


async def until_found(check: Callable[[], Any], seconds: float = 30.0) -> Any:
    """Call the blocking `check` in a thread until it returns something truthy; return that."""
    with anyio.fail_after(seconds):
        while True:
            found = await anyio.to_thread.run_sync(check)
            if found:
                return found
            await anyio.sleep(0.05)


@contextmanager
def history_locked(db_path: Path) -> Iterator[None]:
    """Another process holding the job history's write lock."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


# --- the tasks extension's client side ---------------------------------------------------------

TASKS = "io.modelcontextprotocol/tasks"


class _Task(Result):
    """The fields every task answer carries."""

    model_config = ConfigDict(extra="allow")
    task_id: str
    status: str
    status_message: str | None = None
    created_at: str
    last_updated_at: str
    ttl_ms: int | None
    poll_interval_ms: int | None = None


class TaskHandle(_Task):
    """What a spending tool answers with when it makes a task (`resultType: "task"`)."""

    result_type: Literal["task"]


class TaskState(_Task):
    """What `tasks/get` answers: the task, and its result once completed."""

    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class TaskRequestParams(RequestParams):
    task_id: str


class GetTask(Request[TaskRequestParams, Literal["tasks/get"]]):
    method: Literal["tasks/get"] = "tasks/get"
    params: TaskRequestParams
    name_param = "taskId"


class CancelTask(Request[TaskRequestParams, Literal["tasks/cancel"]]):
    method: Literal["tasks/cancel"] = "tasks/cancel"
    params: TaskRequestParams
    name_param = "taskId"


async def get_task(session: ClientSession, task_id: str) -> TaskState:
    return await session.send_request(GetTask(params=TaskRequestParams(task_id=task_id)), TaskState)


async def cancel_task(session: ClientSession, task_id: str) -> Result:
    request = CancelTask(params=TaskRequestParams(task_id=task_id))
    return await session.send_request(request, Result)


class TasksClient(ClientExtension):
    """A client that declares the tasks extension and follows each task to its end with
    `tasks/get`, pausing `pause` seconds between polls (a test's stand-in for the task's
    `pollIntervalMs`); what it saw is kept in `handles` and `states`."""

    identifier = TASKS

    def __init__(self, pause: float = 0.1) -> None:
        self.pause = pause
        self.handles: list[TaskHandle] = []
        self.states: list[TaskState] = []

    def claims(self) -> list[ResultClaim[Any]]:
        return [ResultClaim(result_type="task", model=TaskHandle, resolve=self._follow)]

    async def _follow(self, handle: TaskHandle, ctx: ClaimContext) -> CallToolResult:
        self.handles.append(handle)
        while True:
            state = await get_task(ctx.session, handle.task_id)
            self.states.append(state)
            if state.status == "completed":
                assert state.result is not None
                return CallToolResult.model_validate(state.result)
            if state.status != "working":
                raise RuntimeError(f"task {handle.task_id} ended {state.status}: {state}")
            await anyio.sleep(self.pause)
