"""How long a tool call may take, and the deadline of the call being served.

Every tool call runs under one deadline, set where every call passes (`PictoryServer.call_tool`):
`call_timeout` for most tools, the wait's own bound for `wait_for_job`. Work that can answer
with what it knows — a poll falls back to the last recorded state, a submission answers with
its tracking id — reads `remaining()` and stops short of the deadline; the deadline itself is
only the backstop. The deadline is carried in a context variable because it belongs to the
request being served (the task running it), not to the server.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import anyio

from pictory_mcp.config import Settings

__all__ = [
    "DEFAULT_WAIT",
    "GRACE",
    "CallScope",
    "answer_at_bound",
    "call_bound",
    "call_deadline",
    "over_bound",
    "remaining",
]

DEFAULT_WAIT = 45.0
# What a call keeps in hand after its own work: writing the history and sending the answer.
GRACE = 3.0

Fallback = Callable[[], Awaitable[Any]]


@dataclass
class CallScope:
    """The call being served: its deadline, and what to answer if the deadline comes first."""

    deadline: float
    fallback: Fallback | None = None


_CALL: ContextVar[CallScope | None] = ContextVar("pictory_mcp_call", default=None)


def wait_bound(timeout_seconds: Any, settings: Settings) -> float:
    """How long wait_for_job waits: its `timeout_seconds`, at most `wait_ceiling`."""
    try:
        wanted = float(timeout_seconds)
    except (TypeError, ValueError):
        wanted = DEFAULT_WAIT
    if not math.isfinite(wanted) or wanted <= 0:
        wanted = DEFAULT_WAIT
    return min(wanted, settings.wait_ceiling)


def call_bound(name: str, arguments: Mapping[str, Any], settings: Settings) -> float:
    """The longest the call may take before the server answers on its behalf."""
    if name == "wait_for_job":
        return wait_bound(arguments.get("timeout_seconds", DEFAULT_WAIT), settings) + GRACE
    if name == "download_video":
        return settings.download_timeout + GRACE  # the download keeps its own deadline
    return settings.call_timeout


@contextmanager
def call_deadline(bound: float) -> Iterator[CallScope]:
    """Serve a call whose deadline is `bound` seconds from now (in this task and the tasks it
    starts, which inherit it)."""
    call = CallScope(deadline=anyio.current_time() + bound)
    token = _CALL.set(call)
    try:
        yield call
    finally:
        _CALL.reset(token)


def remaining(margin: float = GRACE) -> float:
    """Seconds left before the current call's deadline, less `margin` (never negative).

    Outside a tool call (the background engine, tests calling helpers directly) there is no
    deadline and this is infinite.
    """
    call = _CALL.get()
    if call is None:
        return math.inf
    return max(0.0, call.deadline - anyio.current_time() - margin)


def answer_at_bound(fallback: Fallback) -> None:
    """From now on, if the current call reaches its bound, answer with `await fallback()`:
    what the call knows once it has started something that goes on without it (a request
    being sent, a workflow recorded)."""
    call = _CALL.get()
    if call is not None:
        call.fallback = fallback


def over_bound(name: str, bound: float, *, read_only: bool) -> str:
    """What the agent is told when a call reached its bound with nothing better to say."""
    spent = "" if read_only else " Nothing was submitted or saved by this call."
    return (
        f"{name} did not finish within {bound:g} s: Pictory or the network answered too "
        f"slowly.{spent} Try again in a minute."
    )
