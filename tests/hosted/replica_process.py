"""`pictory-mcp` in hosted mode as a real subprocess for tests: its environment (a loopback
identity provider, the sandbox as Pictory, a PostgreSQL store), started on a port, stopped with
SIGTERM as Kubernetes stops a pod, or killed; and the lease rows it leaves in the store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pictory_mcp.hosted.vault import generate_key
from tests._helpers import wait_for_port

__all__ = ["HostedProcess", "hosted_env", "lease_rows", "lock_rows"]


def hosted_env(
    *,
    issuer: str,
    resource_url: str,
    db: str,
    base_url: str,
    ports: Sequence[int],
    **extra: str,
) -> dict[str, str]:
    """The environment of a hosted replica: nothing inherited from PICTORY_*, every replica of
    one deployment with the same values (`extra`: more PICTORY_MCP_* settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    env.update(
        {
            "PICTORY_MCP_MODE": "hosted",
            "PICTORY_MCP_OAUTH_ISSUER": issuer,
            "PICTORY_MCP_RESOURCE_URL": resource_url,
            "PICTORY_MCP_SECRET_KEYS": generate_key(),
            "PICTORY_MCP_DB": db,
            "PICTORY_API_BASE_URL": base_url,
            "PICTORY_MCP_ALLOWED_HOSTS": ",".join(f"127.0.0.1:{p}" for p in ports),
            "PICTORY_MCP_LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


@dataclass
class HostedProcess:
    """One `pictory-mcp --hosted` process on `port`, its stderr in `log`; `launcher` words go
    before the interpreter (a wrapper that changes how the process sees the machine)."""

    port: int
    env: dict[str, str]
    log: Path
    launcher: Sequence[str] = ()
    cwd: Path | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> None:
        command = [
            *self.launcher,
            sys.executable,
            "-m",
            "pictory_mcp",
            "--hosted",
            "--transport",
            "streamable-http",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        with self.log.open("wb") as err:
            self.proc = subprocess.Popen(
                command, env=self.env, cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=err
            )
        wait_for_port(self.port, self.proc, timeout=30)

    @property
    def owner_prefix(self) -> str:
        """How this process's leases begin in the store (`new_owner_id`: host, pid, …)."""
        assert self.proc is not None
        return f"{socket.gethostname()[:40]}:{self.proc.pid}:"

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as Kubernetes stops a pod; returns the exit status."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def lease_rows(db: str) -> list[tuple[str, str | None, float | None]]:
    """(job_id, lease_owner, lease_until) of every job in the store at `db`."""
    import psycopg

    with psycopg.connect(db) as conn:
        rows: list[Any] = conn.execute(
            "SELECT job_id, lease_owner, lease_until FROM jobs ORDER BY seq"
        ).fetchall()
    return [(str(r[0]), r[1], r[2]) for r in rows]


def lock_rows(db: str) -> list[tuple[str, str, float]]:
    """(name, owner, until) of every named lock in the store at `db`."""
    import psycopg

    with psycopg.connect(db) as conn:
        rows: list[Any] = conn.execute("SELECT name, owner, until FROM locks").fetchall()
    return [(str(r[0]), str(r[1]), float(r[2])) for r in rows]
