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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import anyio

from pictory_mcp.config import Settings

__all__ = ["DEFAULT_WAIT", "GRACE", "call_bound", "call_deadline", "over_bound", "remaining"]

DEFAULT_WAIT = 45.0
# What a call keeps in hand after its own work: writing the history and sending the answer.
GRACE = 3.0

_DEADLINE: ContextVar[float | None] = ContextVar("pictory_mcp_call_deadline", default=None)


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
def call_deadline(bound: float) -> Iterator[float]:
    """Set the deadline of the call served by this task to `bound` seconds from now."""
    deadline = anyio.current_time() + bound
    token = _DEADLINE.set(deadline)
    try:
        yield deadline
    finally:
        _DEADLINE.reset(token)


def remaining(margin: float = GRACE) -> float:
    """Seconds left before the current call's deadline, less `margin` (never negative).

    Outside a tool call (the background engine, tests calling helpers directly) there is no
    deadline and this is infinite.
    """
    deadline = _DEADLINE.get()
    if deadline is None:
        return math.inf
    return max(0.0, deadline - anyio.current_time() - margin)


def over_bound(name: str, bound: float, *, read_only: bool) -> str:
    """What the agent is told when a call reached its bound with nothing better to say."""
    spent = "" if read_only else " Nothing was submitted or saved by this call."
    return (
        f"{name} did not finish within {bound:g} s: Pictory or the network answered too "
        f"slowly.{spent} Try again in a minute."
    )
