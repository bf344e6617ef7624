"""A small misbehaving HTTP host on 127.0.0.1 for download tests: it drips, floods, lies about
lengths, redirects in circles and serves the wrong bytes, which neither a real CDN nor the
sandbox can be made to do on demand. Also: a completed job in the history pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from anyio.abc import SocketAttribute, SocketStream
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.jobs import JobStore
from pictory_mcp.server.app import build_server

SAMPLE = Path(__file__).parents[2] / "pictory_mcp" / "sandbox" / "assets" / "sample.mp4"
MP4 = SAMPLE.read_bytes()
MP4_HEAD = MP4[:32]  # the ftyp box: what a video's first bytes look like

Reply = Callable[[SocketStream], Awaitable[None]]


def head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def serve(
    body: bytes,
    content_type: str = "video/mp4",
    *,
    status: str = "200 OK",
    length: int | None = None,
) -> Reply:
    """Answer `body`; `length` overrides the Content-Length header (a lie when it differs)."""

    async def reply(stream: SocketStream) -> None:
        declared = len(body) if length is None else length
        headers = {"Content-Type": content_type, "Content-Length": str(declared)}
        await stream.send(head(status, {**headers, "Connection": "close"}) + body)

    return reply


def redirect(location: str, status: str = "302 Found") -> Reply:
    """A redirect with a small body, like the one some CDNs send."""

    async def reply(stream: SocketStream) -> None:
        body = b"Found. Redirecting"
        headers = {"Location": location, "Content-Type": "text/plain"}
        headers["Content-Length"] = str(len(body))
        await stream.send(head(status, {**headers, "Connection": "close"}) + body)

    return reply


def drip(first: bytes = MP4_HEAD, *, length: int | None = None) -> Reply:
    """The first bytes at once, then one byte a second for ever."""

    async def reply(stream: SocketStream) -> None:
        headers = {"Content-Type": "video/mp4", "Connection": "close"}
        if length is not None:
            headers["Content-Length"] = str(length)
        await stream.send(head("200 OK", headers) + first)
        while True:
            await anyio.sleep(1)
            await stream.send(b"\x00")

    return reply


def flood(total: int, *, pause: float = 0.0, chunk: int = 64 * 1024) -> Reply:
    """`total` bytes of video-looking data, chunked, with no Content-Length."""

    async def reply(stream: SocketStream) -> None:
        headers = {"Content-Type": "video/mp4", "Transfer-Encoding": "chunked"}
        await stream.send(head("200 OK", {**headers, "Connection": "close"}))
        sent = 0
        while sent < total:
            data = (MP4_HEAD + bytes(chunk))[:chunk] if sent == 0 else bytes(chunk)
            data = data[: total - sent]
            await stream.send(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            sent += len(data)
            if pause:
                await anyio.sleep(pause)
        await stream.send(b"0\r\n\r\n")

    return reply


@dataclass
class HostileHost:
    """The running host: its port, its routes, and every request it received."""

    port: int
    routes: dict[str, Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits(self, path: str | None = None) -> int:
        return sum(1 for r in self.requests if path is None or r["path"] == path)


async def _read_head(stream: SocketStream) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        data += await stream.receive()
    return data


@asynccontextmanager
async def hostile_host(routes: dict[str, Reply]) -> AsyncIterator[HostileHost]:
    """Serve `routes` (path → reply; anything else is a 404) on a free loopback port."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    host = HostileHost(listener.extra(SocketAttribute.local_port), routes)  # noqa: S610 (anyio, not Django)

    async def handle(stream: SocketStream) -> None:
        async with stream:
            try:
                request = (await _read_head(stream)).decode("latin-1")
                line, *header_lines = request.split("\r\n\r\n")[0].split("\r\n")
                headers = dict(h.split(": ", 1) for h in header_lines if ": " in h)
                method, path, _ = line.split(" ", 2)
                host.requests.append(
                    {
                        "method": method,
                        "path": path,
                        "headers": {k.lower(): v for k, v in headers.items()},
                    }
                )
                reply = host.routes.get(
                    path, serve(b"no such file", "text/plain", status="404 Not Found")
                )
                await reply(stream)
            except (
                anyio.BrokenResourceError,
                anyio.ClosedResourceError,
                anyio.EndOfStream,
                OSError,
            ):
                pass  # the downloader hung up: exactly what some tests want

    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, handle, tg)
        try:
            yield host
        finally:
            tg.cancel_scope.cancel()


def saved_bytes(path: str | Path) -> bytes:
    return Path(path).read_bytes()


async def until(check: Callable[[], bool], seconds: float = 10.0) -> None:
    """Poll the blocking `check` until it holds, for at most `seconds`."""
    with anyio.fail_after(seconds):
        while True:
            if await anyio.to_thread.run_sync(check):
                return
            await anyio.sleep(0.05)


def record_completed(db_path: Path, job_id: str, video_url: str, **result: Any) -> None:
    """A completed job in the server's history, as if an earlier poll had recorded it."""
    with JobStore(db_path) as store:
        store.update_status(job_id, "completed", result={"video_url": video_url, **result})


async def download_recorded(
    settings: Settings,
    job_id: str,
    video_url: str,
    *,
    include: list[str] | None = None,
    **changes: Any,
) -> Any:
    """Record a completed job whose video is at `video_url`, then download it once through a
    server built with `settings` (and any setting `changes`)."""
    record_completed(settings.db_path, job_id, video_url, **changes.pop("result", {}))
    server = build_server(settings.model_copy(update=changes))
    async with Client(server) as client:
        with anyio.fail_after(15):
            return await client.call_tool(
                "download_video", {"job_id": job_id, "include": include or []}
            )
