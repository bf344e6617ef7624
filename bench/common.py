"""Shared helpers of the benchmarks: server commands and environments, sandbox, stdio clients."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import SandboxControl
from pictory_mcp.sandbox.runner import SandboxThread
from pictory_mcp.sandbox.sandbox_config import SandboxConfig

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
BARE_CMD = [PYTHON, str(HERE / "bare_server.py")]
SERVER_CMD = [PYTHON, "-m", "pictory_mcp"]
SCRIPT = "Rivers carry the story from the hills to the sea."


def server_env(
    tmp: Path, *, api_key: str | None = None, base_url: str | None = None, **extra: str
) -> dict[str, str]:
    """The environment of a benchmarked server: no inherited PICTORY_* values, own job DB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    # Installed packages run from bytecode: a warm-up must be able to write the .pyc files, or
    # every start compiles the package's modules (the bare server's are all precompiled).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PICTORY_MCP_DB"] = str(tmp / "jobs.sqlite3")
    env["PICTORY_MCP_OUTPUT_DIR"] = str(tmp / "out")
    env["PICTORY_MCP_LOG_LEVEL"] = "WARNING"
    env["PYTHONPATH"] = str(ROOT)
    if api_key is not None:
        env["PICTORY_API_KEY"] = api_key
    if base_url is not None:
        env["PICTORY_API_BASE_URL"] = base_url
    env.update(extra)
    return env


def sandbox_env(tmp: Path, sandbox: SandboxThread, **extra: str) -> dict[str, str]:
    return server_env(tmp, api_key=SANDBOX_API_KEY, base_url=sandbox.api_base_url, **extra)


@contextlib.contextmanager
def sandbox_thread(**config: Any) -> Iterator[tuple[SandboxThread, SandboxControl]]:
    with (
        SandboxThread(SandboxConfig(**config)) as sandbox,
        SandboxControl(sandbox.root_url) as control,
    ):
        yield sandbox, control


@contextlib.contextmanager
def sandbox_process() -> Iterator[str]:
    """`pictory-mcp sandbox` as a subprocess (its own core, not this process's GIL)."""
    with sandbox_with_pid() as (root, _):
        yield root


@contextlib.contextmanager
def sandbox_with_pid() -> Iterator[tuple[str, int]]:
    """`sandbox_process`, with the subprocess's pid (for its CPU time)."""
    port = free_port()
    proc = subprocess.Popen(
        [PYTHON, "-m", "pictory_mcp", "sandbox", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        stop(proc)


@contextlib.contextmanager
def temp_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="pictory-bench-") as name:
        yield Path(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise TimeoutError(f"port {port} never opened")


@contextlib.contextmanager
def http_process(
    cmd: Sequence[str], env: dict[str, str] | None = None
) -> Iterator[tuple[int, int]]:
    """Start an HTTP server subprocess on a free loopback port; yield (port, pid)."""
    port = free_port()
    args = (
        [*cmd, "--http", str(port)]
        if cmd == BARE_CMD
        else [*cmd, "--transport", "streamable-http", "--port", str(port)]
    )
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    try:
        wait_for_port(port, proc)
        yield port, proc.pid
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[Any]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.asynccontextmanager
async def stdio_session(
    cmd: Sequence[str], env: dict[str, str] | None = None
) -> AsyncIterator[tuple[Client, int]]:
    """An mcp.Client over stdio to a fresh subprocess; yields (client, server pid)."""
    params = StdioServerParameters(command=cmd[0], args=list(cmd[1:]), env=env, cwd=str(ROOT))
    before = set(child_pids())
    with _devnull() as devnull:
        async with Client(stdio_client(params, errlog=devnull)) as client:
            await client.list_tools()
            new = [pid for pid in child_pids() if pid not in before]
            if len(new) != 1:
                raise RuntimeError(f"cannot tell the server process apart: {new}")
            yield client, new[0]


def _devnull() -> TextIO:
    return open(os.devnull, "w")


def child_pids(parent: int | None = None) -> list[int]:
    """Direct children of `parent` (this process by default), from /proc."""
    me = os.getpid() if parent is None else parent
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces; the fields after its closing ')' do not.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == me:
            found.append(int(entry))
    return found


def proc_status(pid: int, field: str) -> int:
    """A kB field (VmRSS, VmHWM) of /proc/<pid>/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def structured(result: Any) -> dict[str, Any]:
    if result.is_error or not isinstance(result.structured_content, dict):
        text = " ".join(getattr(c, "text", "") for c in result.content)
        raise RuntimeError(f"tool call failed: {text}")
    content: dict[str, Any] = result.structured_content
    return content


async def completed_job(client: Client, control: SandboxControl) -> str:
    """Create one text video through the server and move the sandbox clock past its render."""
    created = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    job_id = str(created["job_id"])
    control.advance_clock(3600)
    done = structured(await client.call_tool("check_job", {"job_id": job_id}))
    if done["status"] != "completed":
        raise RuntimeError(f"job {job_id} did not complete: {done['status']}")
    return job_id
