"""The ASGI layer in front of every route: body limit, auth, rate limit, latency, injected
faults (errors, dropped connections, malformed JSON) and the request log.

It is raw ASGI rather than Starlette middleware because a dropped connection must never send
`http.response.start`, and an "after" fault must run the route and then throw its answer away.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from pictory_mcp.sandbox.core import API_PREFIX, CONTEXT_KEY, RequestContext, Sandbox
from pictory_mcp.sandbox.faults import ERROR_BODIES, RequestFault, retry_after_header
from pictory_mcp.sandbox.job_state import fingerprint

logger = logging.getLogger("pictory_mcp.sandbox")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ABORT_EXTENSION = "pictory_sandbox.abort"
"""Scope extension (a no-argument callable) that aborts the TCP connection; set by the runner's
HTTP protocol. Without it a requested drop degrades to a raised error (a 500)."""

Captured = tuple[int, list[tuple[bytes, bytes]], bytes]


class ConnectionDropRequested(Exception):
    """Raised when a drop is injected but the server offers no way to abort the connection."""


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _is_loopback(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return True  # in-process transports have no peer address
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return client[0] in ("localhost", "testclient")


def _key_accepted(key: str | None, valid_keys: tuple[str, ...] | None) -> bool:
    if not key or not key.startswith("pictai_") or len(key) <= len("pictai_"):
        return False
    if not key.isprintable() or any(c.isspace() for c in key):
        return False
    if valid_keys is None:
        return True
    return any(hmac.compare_digest(key.encode(), k.encode()) for k in valid_keys)


async def _send_json(
    send: Send, status: int, body: object, headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole request body, or `(partial, True)` as soon as it exceeds `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SandboxMiddleware:
    """Wraps the Starlette app; see the module docstring."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/__sandbox"):
            if not _is_loopback(scope):
                await _send_json(send, 403, {"message": "Forbidden"})
                return
            await self._limited(scope, receive, send)
        elif path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            await self._api(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, too_big = await self._body(scope, receive)
        if too_big:
            await self._too_large(send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _body(self, scope: Scope, receive: Receive) -> tuple[bytes, bool]:
        limit = self.sandbox.config.max_body_bytes
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            return b"", True
        return await _read_body(receive, limit)

    async def _too_large(self, send: Send) -> None:
        headers = {"connection": "close"}
        await _send_json(send, 413, {"message": "Request Entity Too Large"}, headers)

    async def _api(self, scope: Scope, receive: Receive, send: Send) -> None:
        sb = self.sandbox
        key = _header(scope, b"authorization")
        entry: dict[str, Any] = {
            "time": time.time(),
            "method": scope["method"],
            "path": scope["path"],
            "query": bytes(scope.get("query_string", b"")).decode("latin-1"),
            "status": None,
            "key": fingerprint(key) if key else None,
            "body": None,
            "job_id": None,
            "fault": None,
        }
        try:
            await self._api_inner(scope, receive, send, key, entry)
        finally:
            sb.log.record(entry)

    async def _api_inner(
        self, scope: Scope, receive: Receive, send: Send, key: str | None, entry: dict[str, Any]
    ) -> None:
        sb = self.sandbox
        cfg = sb.config
        body, too_big = await self._body(scope, receive)
        if too_big:
            entry["status"] = 413
            await self._too_large(send)
            return
        try:
            entry["body"] = json.loads(body) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            entry["body"] = None
        if not _key_accepted(key, cfg.valid_keys):
            entry["status"] = 401
            await _send_json(send, 401, {"message": "Unauthorized"})
            return
        assert key is not None
        ctx = RequestContext(key_fp=fingerprint(key))
        wait = sb.faults.check_rate(ctx.key_fp, cfg.rate_limit, sb.clock.now())
        if wait is not None:
            entry["status"], entry["fault"] = 429, "rate_limit"
            retry = retry_after_header(wait / cfg.clock_speed)
            await _send_json(send, 429, {"message": "Too Many Requests"}, {"Retry-After": retry})
            return
        if cfg.latency_ms:
            await anyio.sleep(cfg.latency_ms / 1000)
        fault = sb.faults.for_request(cfg)
        entry["fault"] = fault.name if fault else None
        if fault is not None and fault.phase == "before" and fault.kind != "malformed":
            await self._inject(fault, scope, receive, send, entry, None)
            return
        scope.setdefault("state", {})[CONTEXT_KEY] = ctx
        captured = await self._capture(scope, _replay(body, receive))
        entry["job_id"] = ctx.job_id
        if fault is not None:
            await self._inject(fault, scope, receive, send, entry, captured)
            return
        status, headers, payload = captured
        entry["status"] = status
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def _capture(self, scope: Scope, receive: Receive) -> Captured:
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
            elif message["type"] == "http.response.body":
                parts.append(bytes(message.get("body", b"")))

        try:
            await self.app(scope, receive, capture)
        except Exception:
            # Starlette re-raises after sending its 500 answer; keep that answer, log the cause.
            if not headers:
                raise
            logger.exception("sandbox route failed")
        return status, headers, b"".join(parts)

    async def _inject(
        self,
        fault: RequestFault,
        scope: Scope,
        receive: Receive,
        send: Send,
        entry: dict[str, Any],
        captured: Captured | None,
    ) -> None:
        if fault.kind == "drop":
            await self._drop(scope, receive)
            return
        if fault.kind == "error":
            entry["status"] = fault.status
            await _send_json(send, fault.status, ERROR_BODIES[fault.status])
            return
        status, headers, payload = captured if captured is not None else (200, [], b"")
        # Cut the JSON in half (or send a bare fragment when there was no body at all).
        broken = payload[: max(1, len(payload) // 2)] if len(payload) > 1 else b'{"success": tru'
        kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length",)]
        kept = [(k, v) for k, v in kept if k.lower() != b"content-type"]
        kept += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(broken)).encode()),
        ]
        status = 200 if status == 204 else status
        entry["status"] = status
        await send({"type": "http.response.start", "status": status, "headers": kept})
        await send({"type": "http.response.body", "body": broken})

    async def _drop(self, scope: Scope, receive: Receive) -> None:
        abort = scope.get("extensions", {}).get(ABORT_EXTENSION)
        if abort is None:
            raise ConnectionDropRequested("this server cannot drop connections")
        abort()
        # Wait for the server to notice, so it does not answer on the dead connection itself.
        with anyio.move_on_after(2):
            while (await receive())["type"] != "http.disconnect":
                pass
