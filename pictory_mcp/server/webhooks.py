"""Pictory webhooks instead of polling (on when PICTORY_MCP_PUBLIC_URL is set).

- Every job-creating request carries a URL of its own, `{public}/webhooks/pictory/{hook}/{secret}`
  (`mint`): the hook id names a row in the store leading to what the server follows (a
  request's tracking id or a workflow's id), and the secret is kept only as its SHA-256.
- Pictory POSTs there when the job finishes (REFERENCE §19). The body's shape is undocumented,
  so it is only a hint: the route accepts any JSON, finds the hook, checks the secret in
  constant time, and confirms with one `GET /v1/jobs/{id}` under the owner's own key, which
  records the result, wakes waiters on every replica and notifies subscribers. Unknown ids,
  wrong secrets, oversized or malformed bodies are refused before anything is written, all
  alike, so an answer tells nothing about anyone's jobs; a repeat of a finished job's call
  answers 200 without asking Pictory again.
- A job followed by a webhook is asked about at most once per `webhook_safety_seconds` (a
  safety net for a webhook that never comes), by all processes and replicas together
  (`may_check`, a slot in the store); until then tools answer from the store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pictory_mcp.errors import PictoryMCPError

if TYPE_CHECKING:
    from pictory_mcp.server.state import AppState

__all__ = ["MAX_BODY", "PATH", "may_check", "mint", "poll_slot", "webhook_route"]

logger = logging.getLogger("pictory_mcp.server.webhooks")

PATH = "/webhooks/pictory"
MAX_BODY = 64 * 1024  # a job-status body is a few KiB; anything far larger is not Pictory's
CONFIRM_BOUND = 30.0
REPEAT_PAUSE = 2.0  # seconds in which repeated calls about one job are not confirmed again  # seconds a confirmation may take before the route answers anyway
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_FINISHED = ("completed", "failed", "cleaned")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def mint(state: AppState, target: str) -> str | None:
    """A new webhook URL leading to `target` (registered in the store for this state's
    owner), or None when webhooks are off."""
    public = state.settings.public_url
    if public is None:
        return None
    hook_id, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    store = state.store
    await anyio.to_thread.run_sync(
        lambda: store.add_hook(hook_id, _hash(secret), target, account=state.account or None)
    )
    return f"{public}{PATH}/{hook_id}/{secret}"


def poll_slot(state: AppState, job_id: str) -> str:
    """The store lock that paces polls of `job_id` across processes and replicas. It is the
    user's own: nobody learns from its timing that another user's job exists."""
    return f"poll:{state.user}:{job_id}"


async def may_check(state: AppState, job_id: str) -> bool:
    """Whether Pictory may be asked about a webhook-followed job now: nobody (no process, no
    replica) has within the safety interval. Taking the answer starts a new interval."""
    name = poll_slot(state, job_id)
    ttl = state.settings.webhook_safety_seconds
    # A fresh owner each time: the slot is taken only once it has expired, whoever took it.
    return bool(await anyio.to_thread.run_sync(state.store.claim_lock, name, uuid.uuid4().hex, ttl))


def _answer(status: int, message: str) -> Response:
    return JSONResponse({"message": message}, status_code=status)


def _refused() -> Response:
    # One answer for an unknown hook and a wrong secret: nothing to learn by guessing.
    return _answer(404, "Unknown webhook.")


async def _body_ok(request: Request) -> Response | None:
    """None when the body is acceptable (empty, or any JSON up to MAX_BODY), else the answer."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        return _answer(413, "Body too large.")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            return _answer(413, "Body too large.")
    if raw.strip():
        try:
            json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _answer(400, "Body is not JSON.")
    return None


def webhook_route(
    process: Callable[[], AppState | None],
    confirm: Callable[[AppState, str], Awaitable[Any]],
) -> Route:
    """POST {PATH}/{hook}/{secret}: `process()` is the server's state (None while starting);
    `confirm(state, target)` asks Pictory about `target` once and records the answer."""

    async def receive(request: Request) -> Response:
        hook_id = request.path_params["hook_id"]
        secret = request.path_params["secret"]
        refused = await _body_ok(request)
        if refused is not None:
            return refused
        if not (_TOKEN.fullmatch(hook_id) and _TOKEN.fullmatch(secret)):
            return _refused()
        server = process()
        if server is None:
            return _answer(503, "Starting; call again shortly.")
        try:
            hook = await anyio.to_thread.run_sync(server.store.find_hook, hook_id)
        except PictoryMCPError as exc:  # the store is down: ask to be called again
            logger.warning("webhook: the job store does not answer: %s", exc)
            return _answer(503, "Unavailable; call again shortly.")
        if hook is None or not hmac.compare_digest(_hash(secret), hook.secret_hash):
            return _refused()
        try:
            state = await _state_of(server, hook.owner)
            record = await anyio.to_thread.run_sync(state.store.get_by_tracking_id, hook.target)
            if record is not None and record.status in _FINISHED:
                return _answer(200, "Received.")  # a repeat: the result is recorded
            last = state.polls.last_polled(record.job_id if record else hook.target)
            if last is not None and anyio.current_time() - last < REPEAT_PAUSE:
                return _answer(200, "Received.")  # a burst of repeats costs one request
            with anyio.fail_after(CONFIRM_BOUND):
                await confirm(state, hook.target)
        except Exception as exc:  # the safety net will ask Pictory later
            logger.warning("webhook %s: could not confirm the job yet: %s", hook_id[:6], exc)
            return _answer(202, "Received; the job will be checked again later.")
        return _answer(200, "Received.")

    return Route(f"{PATH}/{{hook_id}}/{{secret}}", receive, methods=["POST"])


async def _state_of(server: AppState, owner: str) -> AppState:
    """The state that acts for `owner`: in hosted mode their tenant (with their stored key),
    else the server's own."""
    if server.tenants is None:
        return server
    return await server.tenants.state_for(owner)
