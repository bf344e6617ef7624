"""Running the sandbox: in the current event loop (`serve_sandbox`), in a background thread
(`SandboxThread`), or as the `pictory-mcp sandbox` command (`main`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.app import build_app
from pictory_mcp.sandbox.core import API_PREFIX
from pictory_mcp.sandbox.middleware import ABORT_EXTENSION, SandboxMiddleware
from pictory_mcp.sandbox.sandbox_config import ERROR_PHASES, INVALID_VOICE_MODES, SandboxConfig

logger = logging.getLogger("pictory_mcp.sandbox")
START_TIMEOUT = 10.0


class _AbortableH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus a scope extension that aborts the TCP connection, so the
    sandbox can drop a request without sending any HTTP answer."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # uvicorn writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        # meets the client's delayed ACK and every answer waits ~40 ms.
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        inner = self.app

        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            scope.setdefault("extensions", {})[ABORT_EXTENSION] = transport.abort
            await inner(scope, receive, send)

        self.app = app


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to its host process."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass(frozen=True)
class RunningSandbox:
    """Where a started sandbox listens."""

    host: str
    port: int

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        return self.root_url + API_PREFIX


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    if not _is_loopback(host):
        # The control API is unauthenticated: never offer it beyond this machine.
        raise ValueError(f"the sandbox only listens on loopback addresses, not {host!r}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _uvicorn_config(
    app: SandboxMiddleware, log_level: str, *, embedded: bool = True
) -> uvicorn.Config:
    # Embedded in another process (the MCP server, a test), the sandbox keeps the host's log
    # handlers: uvicorn's own configuration would repoint the process-wide "uvicorn" loggers
    # at unfiltered stdout/stderr handlers, for every server in the process.
    return uvicorn.Config(
        app,
        http=_AbortableH11Protocol,
        lifespan="off",
        access_log=False,
        log_level=log_level,
        log_config=None if embedded else LOGGING_CONFIG,
        timeout_graceful_shutdown=2,
    )


async def _wait_started(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT
    while not server.started:
        if task.done():
            task.result()  # re-raise the start-up error
            raise RuntimeError("the sandbox server stopped during start-up")
        if loop.time() > deadline:
            raise TimeoutError("the sandbox server did not start in time")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def serve_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningSandbox]:
    """Serve a fresh sandbox in the running asyncio loop until the block exits."""
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    app = build_app(config)
    server = _EmbeddedServer(_uvicorn_config(app, "warning"))
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    try:
        await _wait_started(server, task)
        yield RunningSandbox(host, bound_port)
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await task
        await app.sandbox.webhooks.stop()
        sock.close()


class SandboxThread:
    """The sandbox in a background thread with its own event loop; `start()` blocks until it
    listens. Usable as a context manager."""

    def __init__(
        self, config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.config = config
        self.host = host
        self.port = port
        self._running: RunningSandbox | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> RunningSandbox:
        if self._running is None:
            raise RuntimeError("the sandbox thread is not running")
        return self._running

    @property
    def root_url(self) -> str:
        return self.running.root_url

    @property
    def api_base_url(self) -> str:
        return self.running.api_base_url

    def start(self) -> SandboxThread:
        if self._thread is not None:
            raise RuntimeError("the sandbox thread was already started")
        self._thread = threading.Thread(target=self._run, name="pictory-sandbox", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT + 5):
            raise TimeoutError("the sandbox thread did not start in time")
        if self._error is not None:
            self._thread.join()
            raise RuntimeError("the sandbox thread failed to start") from self._error
        return self

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            async with serve_sandbox(self.config, host=self.host, port=self.port) as running:
                self._running = running
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:  # reported to the thread that called start()
            self._error = exc
        finally:
            self._ready.set()

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=START_TIMEOUT)
        self._thread = None
        self._running = None

    def __enter__(self) -> SandboxThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _parser() -> argparse.ArgumentParser:
    defaults = SandboxConfig()
    p = argparse.ArgumentParser(
        prog="pictory-mcp sandbox",
        description="Serve the Pictory sandbox (a faithful Pictory API) on loopback.",
    )
    p.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    p.add_argument("--port", type=int, default=8787, help="port (0 picks a free one)")
    p.add_argument("--render-seconds", type=float, default=defaults.render_seconds)
    p.add_argument("--error-rate", type=float, default=defaults.error_rate)
    p.add_argument("--error-phase", choices=ERROR_PHASES, default=defaults.error_phase)
    p.add_argument("--rate-limit", type=float, default=None, help="requests/second per key")
    p.add_argument("--latency-ms", type=int, default=defaults.latency_ms)
    p.add_argument("--drop-rate", type=float, default=defaults.drop_rate)
    p.add_argument("--malformed-rate", type=float, default=defaults.malformed_rate)
    p.add_argument("--job-fail-rate", type=float, default=defaults.job_fail_rate)
    p.add_argument("--job-stuck-rate", type=float, default=defaults.job_stuck_rate)
    p.add_argument(
        "--invalid-voice-mode", choices=INVALID_VOICE_MODES, default=defaults.invalid_voice_mode
    )
    p.add_argument("--valid-key", action="append", dest="valid_keys", metavar="KEY")
    p.add_argument("--max-jobs-per-key", type=int, default=defaults.max_jobs_per_key)
    p.add_argument("--max-body-bytes", type=int, default=defaults.max_body_bytes)
    p.add_argument("--clock-speed", type=float, default=defaults.clock_speed)
    p.add_argument("--seed", type=int, default=defaults.seed)
    return p


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    return SandboxConfig(
        render_seconds=args.render_seconds,
        error_rate=args.error_rate,
        error_phase=args.error_phase,
        rate_limit=args.rate_limit,
        latency_ms=args.latency_ms,
        drop_rate=args.drop_rate,
        malformed_rate=args.malformed_rate,
        job_fail_rate=args.job_fail_rate,
        job_stuck_rate=args.job_stuck_rate,
        invalid_voice_mode=args.invalid_voice_mode,
        valid_keys=tuple(args.valid_keys) if args.valid_keys else None,
        max_jobs_per_key=args.max_jobs_per_key,
        max_body_bytes=args.max_body_bytes,
        clock_speed=args.clock_speed,
        seed=args.seed,
    )


async def _serve_forever(config: SandboxConfig, host: str, port: int) -> None:
    sock = _bind(host, port)
    server = uvicorn.Server(_uvicorn_config(build_app(config), "info", embedded=False))
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    await _wait_started(server, task)
    running = RunningSandbox(host, sock.getsockname()[1])
    print(running.api_base_url, flush=True)
    if config.valid_keys is None:
        print(f"API key: {SANDBOX_API_KEY} (any pictai_ key is accepted)", flush=True)
    else:  # never echo configured keys
        print("API key: one of the keys given with --valid-key", flush=True)
    await task


def main(argv: list[str] | None = None) -> int:
    """`pictory-mcp sandbox`: print the base URL and key, serve until Ctrl-C."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    try:
        asyncio.run(_serve_forever(config, args.host, args.port))
    except ValueError as exc:
        print(f"pictory-mcp sandbox: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"pictory-mcp sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        pass
    return 0
