"""Hosted replicas for tests and benchmarks: `pictory-mcp --hosted` processes sharing one store,
and an HTTP transport that spreads a client's requests over them the way a load balancer
without session affinity does, taking a replica that refuses connections out of rotation.

    replicas = Replicas(idp, sandbox, postgres_url, tmp_path)
    replicas.start()
    async with replicas.client("alice") as alice: ...   # request by request, replica by replica
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from pictory_mcp.hosted.vault import generate_key
from tests._helpers import free_port, wait_for_port
from tests.hosted.idp import IdP
from tests.hosted.team import Team, settings_for

__all__ = ["Backends", "Balancer", "Replicas"]


class Backends:
    """The replicas a balancer sends to, in turn; one that refused a connection stays out."""

    def __init__(self, ports: Sequence[int]) -> None:
        self.ports = list(ports)
        self.down: set[int] = set()
        self.sent: list[int] = []
        self.refused: list[str] = []  # "<port> <status> <body>" of every answer >= 400

    def next(self) -> int:
        live = [port for port in self.ports if port not in self.down]
        if not live:
            raise httpx2.ConnectError("no replica accepts connections")
        port = live[len(self.sent) % len(live)]
        self.sent.append(port)
        return port


class Balancer(httpx2.AsyncBaseTransport):
    """Sends each request to the next live replica of `backends`.

    A refused connection means the request never reached a server: the replica is taken out
    (as a load balancer's health check takes out a dead backend) and the request goes to the
    next one. A request cut off after it was sent may have been acted on, so it is not sent
    again: it is answered 502 (before the answer started) or its answer ends where the
    connection broke (after), and the client decides what to do, as behind a real balancer.
    """

    def __init__(self, backends: Backends) -> None:
        self.backends = backends
        self._inner = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        while True:
            port = self.backends.next()
            request.url = request.url.copy_with(port=port)
            try:
                response = await self._inner.handle_async_request(request)
            except httpx2.ConnectError:
                self.backends.down.add(port)
                continue
            except httpx2.TransportError as exc:
                return httpx2.Response(502, text=f"bad gateway: {exc}", request=request)
            if response.status_code >= 400:
                body = await response.aread()
                self.backends.refused.append(f"{port} {response.status_code} {body[:300]!r}")
                return httpx2.Response(
                    response.status_code, headers=response.headers, content=body, request=request
                )
            assert isinstance(response.stream, httpx2.AsyncByteStream)
            response.stream = _CutShort(response.stream)
            return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class _CutShort(httpx2.AsyncByteStream):
    """An answer's body that ends where the replica's connection broke. (The SDK's client
    reads an answer that ends early as a failed request; an exception while reading a JSON
    answer would end the whole client.)"""

    def __init__(self, inner: httpx2.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with contextlib.suppress(httpx2.TransportError):
            async for chunk in self._inner:
                yield chunk

    async def aclose(self) -> None:
        with contextlib.suppress(httpx2.TransportError):
            await self._inner.aclose()


class Replicas:
    """`count` hosted replicas on one PostgreSQL store; `kill(n)` stops one without warning.

    `env` adds to (or overrides) the replicas' environment; `webhooks` turns Pictory's webhooks
    on, delivered to the last replica."""

    def __init__(
        self,
        idp: IdP,
        sandbox: Any,
        db: str,
        tmp_path: Path,
        poll_interval: float = 1,
        *,
        count: int = 2,
        env: Mapping[str, str] | None = None,
        webhooks: bool = False,
    ) -> None:
        self.ports = [free_port() for _ in range(count)]
        # Webhooks: Pictory calls the last replica (as a balancer would pick one), so a wait
        # on another replica ends through the store.
        public = {"PICTORY_MCP_PUBLIC_URL": f"http://127.0.0.1:{self.ports[-1]}"}
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
                **(public if webhooks else {}),
                **(env or {}),
            }
        )
        self.logs = [tmp_path / f"replica-{n + 1}.log" for n in range(count)]
        self.procs: list[subprocess.Popen[bytes]] = []

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

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

    def log_text(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self.logs if log.exists())

    @contextlib.asynccontextmanager
    async def client(
        self,
        user: str,
        ports: list[int] | None = None,
        *,
        backends: Backends | None = None,
        token: str | None = None,
        mode: str = "auto",
    ) -> AsyncIterator[Client]:
        """`user`'s client, sending request by request to `ports` in turn (every replica by
        default), or through `backends` shared with other clients (one balancer)."""
        transport = Balancer(backends or Backends(ports or self.ports))
        http = httpx2.AsyncClient(
            transport=transport,
            headers={"Authorization": f"Bearer {token or self.team.token(user)}"},
            timeout=httpx2.Timeout(60, read=120),
        )
        session = streamable_http_client(self.team.url, http_client=http)
        async with http, Client(session, mode=mode) as client:  # type: ignore[arg-type]
            yield client
