"""Idempotency keys of job-creating requests: the client's own (sent in a call's `_meta`), or in
hosted mode one made from the user, the tool and the canonical payload, so a retried or
duplicated call finds the first request's job instead of paying again."""

from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pictory_mcp.server.state import AppState

__all__ = ["CLIENT_IDEMPOTENCY_KEY", "CLIENT_KEY_WINDOW", "IDEMPOTENCY_META", "idempotency_key"]

# An idempotency key the client sent with the call (`_meta`, see `IDEMPOTENCY_META`); set where
# every tool call passes. Such a key holds for a day, as idempotency keys usually do.
CLIENT_IDEMPOTENCY_KEY: ContextVar[str | None] = ContextVar("pictory_mcp_idem", default=None)
IDEMPOTENCY_META = "pictory-mcp/idempotency-key"
CLIENT_KEY_WINDOW = 86400.0


def idempotency_key(
    state: AppState, kind: str, payload: dict[str, Any]
) -> tuple[str | None, float]:
    """The submission's deduplication key and how long it holds (None: none): the client's
    own key, or in hosted mode one made from the tool and the canonical payload."""
    sent = CLIENT_IDEMPOTENCY_KEY.get()
    if sent:
        return "client:" + _digest(f"{kind}\n{sent}"), CLIENT_KEY_WINDOW
    window = state.settings.dedup_seconds
    if not state.user or window <= 0:
        return None, 0.0
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return "auto:" + _digest(f"{kind}\n{canonical}"), window


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]
